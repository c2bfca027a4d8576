package main

import (
	"context"
	"fmt"
	"os"
	"sort"
	"strconv"
	"strings"

	"github.com/compose-spec/compose-go/v2/types"
	"github.com/moby/buildkit/client/llb"
	"github.com/moby/buildkit/client/llb/sourceresolver"
	"github.com/moby/buildkit/frontend/dockerfile/dockerfile2llb"
	"github.com/moby/buildkit/frontend/dockerfile/instructions"
	"github.com/moby/buildkit/frontend/dockerfile/parser"
	"github.com/moby/buildkit/frontend/dockerui"
	"github.com/moby/buildkit/solver/pb"
	digest "github.com/opencontainers/go-digest"
)

// targetInfo is what a build target ends up with after its stage chain.
type targetInfo struct {
	healthcheck bool
	user        string
}

// offlineResolver answers BuildKit's base-image lookups without a registry: an empty linux/amd64 image
// config. The lint rules only need to know the base exists; nothing is pulled or built.
type offlineResolver struct{}

func (offlineResolver) ResolveImageConfig(_ context.Context, ref string, _ sourceresolver.Opt) (string, digest.Digest, []byte, error) {
	return ref, digest.FromString(ref), []byte(`{"architecture":"amd64","os":"linux","rootfs":{"type":"layers"},"config":{}}`), nil
}

// checkDockerfiles lints every Dockerfile a service builds, once, and records each built target.
func (c *checker) checkDockerfiles(ctx context.Context, project *types.Project) {
	c.targets = map[string]targetInfo{}
	byFile := map[string][]string{} // Dockerfile -> targets built from it
	for _, s := range project.Services {
		if s.Build != nil {
			df := dockerfilePath(s.Build)
			byFile[df] = append(byFile[df], s.Build.Target)
		}
	}
	files := make([]string, 0, len(byFile))
	for f := range byFile {
		files = append(files, f)
	}
	sort.Strings(files)
	for _, f := range files {
		c.lintDockerfile(ctx, f, byFile[f])
	}
}

// lintDockerfile runs BuildKit's parser, instruction parser and lint rules (what `docker build --check`
// runs), then requires a non-root USER and a HEALTHCHECK in each target compose builds.
func (c *checker) lintDockerfile(ctx context.Context, path string, targets []string) {
	dt, err := os.ReadFile(path)
	if err != nil {
		c.problem("%s: %v", c.rel(path), err)
		return
	}
	// The lint results carry the source as an LLB definition; an empty local source is enough here.
	src := llb.Local("dockerfile")
	def, err := src.Marshal(ctx)
	if err != nil {
		c.problem("%s: %v", c.rel(path), err)
		return
	}
	sourceMap := llb.NewSourceMap(&src, path, "Dockerfile", dt)
	sourceMap.Definition = def
	res, err := dockerfile2llb.DockerfileLint(ctx, dt, dockerfile2llb.ConvertOpt{
		Config:       dockerui.Config{},
		SourceMap:    sourceMap,
		MetaResolver: offlineResolver{},
	})
	if err != nil {
		c.problem("%s: %v", c.rel(path), err)
		return
	}
	for _, w := range res.Warnings {
		c.problem("%s:%s %s: %s", c.rel(path), line(w.Location), w.RuleName, w.Detail)
	}
	if res.Error != nil {
		c.problem("%s:%s %s", c.rel(path), line(&res.Error.Location), res.Error.Message)
		return
	}
	ast, err := parser.Parse(strings.NewReader(string(dt)))
	if err != nil {
		c.problem("%s: %v", c.rel(path), err)
		return
	}
	stages, _, err := instructions.Parse(ast.AST, nil)
	if err != nil {
		c.problem("%s: %v", c.rel(path), err)
		return
	}
	seen := map[string]bool{}
	for _, target := range targets {
		if seen[target] {
			continue
		}
		seen[target] = true
		info, ok := stageChain(stages, target)
		name := target
		if name == "" {
			name = "(last stage)"
		}
		if !ok {
			c.problem("%s: compose builds target %s, which is not a stage", c.rel(path), name)
			continue
		}
		if info.user == "" || info.user == "root" || info.user == "0" || strings.HasPrefix(info.user, "0:") || strings.HasPrefix(info.user, "root:") {
			c.problem("%s: target %s runs as root; add a USER", c.rel(path), name)
		}
		if !info.healthcheck {
			c.problem("%s: target %s has no HEALTHCHECK", c.rel(path), name)
		}
		c.targets[targetKey(path, target)] = info
	}
	c.checked = append(c.checked, fmt.Sprintf("%s (%d stages)", c.rel(path), len(stages)))
}

// stageChain follows a target through the stages it is built FROM and returns its effective USER
// and whether a HEALTHCHECK (not NONE) applies.
func stageChain(stages []instructions.Stage, target string) (targetInfo, bool) {
	idx := len(stages) - 1
	if target != "" {
		idx = -1
		for i, s := range stages {
			if strings.EqualFold(s.Name, target) {
				idx = i
			}
		}
	}
	if idx < 0 {
		return targetInfo{}, false
	}
	var chain []instructions.Stage
	for i := idx; i >= 0; {
		chain = append([]instructions.Stage{stages[i]}, chain...)
		parent := -1
		for j := 0; j < i; j++ {
			if strings.EqualFold(stages[j].Name, stages[i].BaseName) {
				parent = j
			}
		}
		i = parent
	}
	var info targetInfo
	for _, s := range chain {
		for _, cmd := range s.Commands {
			switch v := cmd.(type) {
			case *instructions.UserCommand:
				info.user = v.User
			case *instructions.HealthCheckCommand:
				info.healthcheck = v.Health != nil && !(len(v.Health.Test) > 0 && v.Health.Test[0] == "NONE")
			}
		}
	}
	return info, true
}

// line formats the first line of a BuildKit location as "N:" (empty when unknown).
func line(loc *pb.Location) string {
	if loc == nil || len(loc.Ranges) == 0 || loc.Ranges[0].Start == nil {
		return ""
	}
	return strconv.Itoa(int(loc.Ranges[0].Start.Line)) + ":"
}
