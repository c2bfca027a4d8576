// Command docker-lint checks docker/ without a Docker daemon: the compose file (compose-spec loader with
// schema validation, interpolated with .env.example), deployment rules the loader cannot know (only the
// proxy publishes ports, health checks behind every depends_on condition, no literal secrets, mounted
// files exist), the Dockerfiles it builds (BuildKit's parser and its lint rules, as `docker build --check`,
// plus a non-root USER and a HEALTHCHECK in every built target), and that every `docker compose` command
// and file path in README.md names a service or file that exists. Exit 1 on any problem.
package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
)

func main() {
	dir := flag.String("dir", "docker", "directory holding the compose file, its .env.example and README.md")
	composeName := flag.String("compose", "compose.yml", "compose file, relative to -dir")
	envName := flag.String("env", ".env.example", "env file used for interpolation, relative to -dir")
	readmeName := flag.String("readme", "README.md", "README to check against the compose file; empty to skip")
	publish := flag.String("publish", "nginx", "comma-separated services allowed to publish ports")
	generated := flag.String("generated", ".env,certs", "comma-separated paths (relative to -dir) created during set-up, allowed to be missing")
	flag.Parse()

	abs, err := filepath.Abs(*dir)
	if err != nil {
		fail(err)
	}
	c := &checker{
		dir:       abs,
		publish:   splitList(*publish),
		generated: splitList(*generated),
	}
	c.run(context.Background(), *composeName, *envName, *readmeName)
	sort.Strings(c.problems)
	for _, p := range c.problems {
		fmt.Println("problem:", p)
	}
	if len(c.problems) > 0 {
		fmt.Printf("docker-lint: %d problem(s) in %s\n", len(c.problems), *dir)
		os.Exit(1)
	}
	fmt.Printf("docker-lint: %s ok (%s)\n", *dir, strings.Join(c.checked, ", "))
}

func fail(err error) {
	fmt.Fprintln(os.Stderr, "docker-lint:", err)
	os.Exit(2)
}

func splitList(s string) []string {
	var out []string
	for _, v := range strings.Split(s, ",") {
		if v = strings.TrimSpace(v); v != "" {
			out = append(out, v)
		}
	}
	return out
}

// checker collects problems; every check appends instead of stopping, so one run lists them all.
type checker struct {
	dir       string
	publish   []string
	generated []string
	problems  []string
	checked   []string
	// targets maps Dockerfile#target to what the checks need to know about that build target.
	targets map[string]targetInfo
}

func (c *checker) problem(format string, args ...any) {
	c.problems = append(c.problems, fmt.Sprintf(format, args...))
}

// rel shows a path relative to the checked directory's parent (the repository root).
func (c *checker) rel(p string) string {
	if r, err := filepath.Rel(filepath.Dir(c.dir), p); err == nil {
		return r
	}
	return p
}

// isGenerated says whether a path under dir is made during set-up (make-certs.sh, cp .env.example .env).
func (c *checker) isGenerated(p string) bool {
	r, err := filepath.Rel(c.dir, p)
	if err != nil {
		return false
	}
	for _, g := range c.generated {
		if r == g || strings.HasPrefix(r, g+string(filepath.Separator)) {
			return true
		}
	}
	return false
}

func (c *checker) run(ctx context.Context, composeName, envName, readmeName string) {
	project := c.checkCompose(ctx, filepath.Join(c.dir, composeName), filepath.Join(c.dir, envName))
	if project == nil {
		return
	}
	c.checkDockerfiles(ctx, project)
	c.checkServices(project)
	if readmeName != "" {
		c.checkReadme(filepath.Join(c.dir, readmeName), project)
	}
}
