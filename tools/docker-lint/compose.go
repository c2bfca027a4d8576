package main

import (
	"context"
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"

	"github.com/compose-spec/compose-go/v2/cli"
	"github.com/compose-spec/compose-go/v2/types"
	"go.yaml.in/yaml/v3"
)

// checkCompose loads the compose file the way `docker compose` does (schema validation, interpolation
// from the env file only, normalization, consistency of references) and checks the raw file for
// literal secrets. It returns nil when the file does not load.
func (c *checker) checkCompose(ctx context.Context, composePath, envPath string) *types.Project {
	if _, err := os.Stat(envPath); err != nil {
		c.problem("%s: %v", c.rel(envPath), err)
		return nil
	}
	opts, err := cli.NewProjectOptions([]string{composePath},
		cli.WithWorkingDirectory(c.dir),
		cli.WithEnvFiles(envPath),
		cli.WithDotEnv,
		cli.WithInterpolation(true),
		cli.WithNormalization(true),
		cli.WithConsistency(true),
		cli.WithResolvedPaths(true),
	)
	if err != nil {
		c.problem("%s: %v", c.rel(composePath), err)
		return nil
	}
	project, err := opts.LoadProject(ctx)
	if err != nil {
		c.problem("%s: %v", c.rel(composePath), err)
		return nil
	}
	c.checked = append(c.checked, c.rel(composePath)+" ("+strconv.Itoa(len(project.Services))+" services)")
	c.checkLiteralSecrets(composePath)
	return project
}

var (
	secretKey = regexp.MustCompile(`(?i)(PASSWORD|PASSWD|SECRET|TOKEN|API_?KEY|CREDENTIALS?)$`)
	// urlCredentials finds user:password@ in a URL value; the password part must be interpolated.
	urlCredentials = regexp.MustCompile(`://[^:/@\s]*:([^@/\s]*)@`)
	interpolated   = regexp.MustCompile(`^\$\{[A-Za-z_][A-Za-z0-9_]*(:?[-?][^}]*)?\}$`)
	// anyInterpolation finds ${VAR...} references inside a value (their default text may hold ':' or '@').
	anyInterpolation = regexp.MustCompile(`\$\{[A-Za-z_][A-Za-z0-9_]*(:?[-?][^}]*)?\}`)
)

// checkLiteralSecrets reads the file before interpolation: a secret-named variable or a URL password
// must be a ${VAR} reference (filled from .env), never a value written into compose.yml.
func (c *checker) checkLiteralSecrets(composePath string) {
	data, err := os.ReadFile(composePath)
	if err != nil {
		c.problem("%s: %v", c.rel(composePath), err)
		return
	}
	var raw struct {
		Services map[string]struct {
			Environment any `yaml:"environment"`
		} `yaml:"services"`
	}
	if err := yaml.Unmarshal(data, &raw); err != nil {
		c.problem("%s: %v", c.rel(composePath), err)
		return
	}
	names := make([]string, 0, len(raw.Services))
	for n := range raw.Services {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, name := range names {
		for key, value := range environmentMap(raw.Services[name].Environment) {
			if secretKey.MatchString(key) && value != "" && !interpolated.MatchString(value) {
				c.problem("%s: service %s: %s is a literal value; take secrets from .env as ${VAR}", c.rel(composePath), name, key)
			}
			const placeholder = "INTERPOLATED"
			if m := urlCredentials.FindStringSubmatch(anyInterpolation.ReplaceAllString(value, placeholder)); m != nil && m[1] != placeholder {
				c.problem("%s: service %s: %s holds a literal password in its URL; use ${VAR} from .env", c.rel(composePath), name, key)
			}
		}
	}
}

// environmentMap accepts both compose forms: a mapping, or a list of KEY=VALUE.
func environmentMap(env any) map[string]string {
	out := map[string]string{}
	switch e := env.(type) {
	case map[string]any:
		for k, v := range e {
			if k == "<<" {
				if merged, ok := v.(map[string]any); ok {
					for mk, mv := range environmentMap(merged) {
						out[mk] = mv
					}
				}
				continue
			}
			if v != nil {
				out[k] = toString(v)
			}
		}
	case []any:
		for _, item := range e {
			if k, v, ok := strings.Cut(toString(item), "="); ok {
				out[k] = v
			}
		}
	}
	return out
}

func toString(v any) string {
	switch t := v.(type) {
	case string:
		return t
	case nil:
		return ""
	default:
		b, _ := yaml.Marshal(t)
		return strings.TrimSpace(string(b))
	}
}

// checkServices applies the deployment rules to the loaded project.
func (c *checker) checkServices(project *types.Project) {
	composeFile := "compose file"
	if len(project.ComposeFiles) > 0 {
		composeFile = c.rel(project.ComposeFiles[0])
	}
	names := project.ServiceNames()
	sort.Strings(names)
	for _, name := range names {
		s := project.Services[name]
		if len(s.Ports) > 0 && !contains(c.publish, name) {
			c.problem("%s: service %s publishes ports; only %s may (the others are reached through it)", composeFile, name, strings.Join(c.publish, ", "))
		}
		if s.Image != "" && s.Build == nil {
			if ref := s.Image; !strings.Contains(lastSegment(ref), ":") && !strings.Contains(ref, "@") || strings.HasSuffix(ref, ":latest") {
				c.problem("%s: service %s: image %s has no fixed tag", composeFile, name, ref)
			}
		}
		if !oneShot(s) && !c.hasHealthcheck(project, s) {
			c.problem("%s: service %s has no healthcheck (in compose.yml or its image's Dockerfile)", composeFile, name)
		}
		deps := make([]string, 0, len(s.DependsOn))
		for d := range s.DependsOn {
			deps = append(deps, d)
		}
		sort.Strings(deps)
		for _, dep := range deps {
			cond := s.DependsOn[dep].Condition
			target, ok := project.Services[dep]
			if !ok {
				continue // the loader already reported it
			}
			switch cond {
			case types.ServiceConditionHealthy:
				if !c.hasHealthcheck(project, target) {
					c.problem("%s: service %s waits for %s to be healthy, but %s has no healthcheck", composeFile, name, dep, dep)
				}
			case types.ServiceConditionCompletedSuccessfully:
				if !oneShot(target) {
					c.problem("%s: service %s waits for %s to complete, but %s restarts (set restart: \"no\")", composeFile, name, dep, dep)
				}
			default:
				c.problem("%s: service %s depends on %s without a condition (service_healthy or service_completed_successfully)", composeFile, name, dep)
			}
		}
		for _, v := range s.Volumes {
			if v.Type == types.VolumeTypeBind {
				if _, err := os.Stat(v.Source); err != nil && !c.isGenerated(v.Source) {
					c.problem("%s: service %s mounts %s, which does not exist", composeFile, name, c.rel(v.Source))
				}
			}
		}
		if s.Build != nil {
			if _, err := os.Stat(s.Build.Context); err != nil {
				c.problem("%s: service %s: build context %s does not exist", composeFile, name, c.rel(s.Build.Context))
			}
		}
	}
}

func oneShot(s types.ServiceConfig) bool { return s.Restart == types.RestartPolicyNo }

func lastSegment(ref string) string { return ref[strings.LastIndex(ref, "/")+1:] }

func contains(list []string, v string) bool {
	for _, x := range list {
		if x == v {
			return true
		}
	}
	return false
}

// hasHealthcheck: a compose healthcheck, or a HEALTHCHECK in the Dockerfile target that builds the
// service's image (directly, or through another service that builds the same image).
func (c *checker) hasHealthcheck(project *types.Project, s types.ServiceConfig) bool {
	if s.HealthCheck != nil {
		return !s.HealthCheck.Disable
	}
	build := s.Build
	if build == nil {
		for _, other := range project.Services {
			if other.Build != nil && other.Image == s.Image {
				build = other.Build
			}
		}
	}
	if build == nil {
		return false
	}
	info, ok := c.targets[targetKey(dockerfilePath(build), build.Target)]
	return ok && info.healthcheck
}

func dockerfilePath(b *types.BuildConfig) string {
	df := b.Dockerfile
	if df == "" {
		df = "Dockerfile"
	}
	if filepath.IsAbs(df) {
		return df
	}
	return filepath.Join(b.Context, df)
}

func targetKey(dockerfile, target string) string { return dockerfile + "#" + target }
