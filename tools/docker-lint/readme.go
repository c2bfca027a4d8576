package main

import (
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"

	"github.com/compose-spec/compose-go/v2/types"
	"github.com/mattn/go-shellwords"
)

var (
	fence      = regexp.MustCompile("^\\s*(```|~~~)")
	codeSpan   = regexp.MustCompile("`([^`\n]+)`")
	pathToken  = regexp.MustCompile(`^(\./)?[A-Za-z0-9_.-]+(/[A-Za-z0-9_.-]+)*\.(sh|ya?ml|example|template|conf|mjs|md)$|^(\./)?[A-Za-z0-9_.-]*Dockerfile[A-Za-z0-9_.-]*$|^docker/[A-Za-z0-9_./-]+$`)
	commandSep = regexp.MustCompile(`&&|\|\||;|\|`)
)

// Subcommands whose operands are all service names; run and exec take one service, then a command.
var (
	serviceListCommands = map[string]bool{
		"up": true, "down": false, "start": true, "stop": true, "restart": true, "logs": true, "ps": true,
		"build": true, "pull": true, "push": true, "rm": true, "kill": true, "pause": true, "unpause": true,
		"create": true, "top": true, "events": true, "images": true, "port": false, "config": false,
		"watch": true, "attach": false, "wait": true,
	}
	oneServiceCommands = map[string]bool{"run": true, "exec": true, "attach": true, "port": true, "cp": false}
	// Options that take a value: before the subcommand (global), and after it.
	globalValueOptions = map[string]bool{
		"-f": true, "--file": true, "-p": true, "--project-name": true, "--profile": true, "--env-file": true,
		"--project-directory": true, "--ansi": true, "--progress": true, "--parallel": true,
	}
	commandValueOptions = map[string]bool{
		"--scale": true, "--timeout": true, "--tail": true, "--since": true, "--until": true,
		"-e": true, "--env": true, "-u": true, "--user": true, "-w": true, "--workdir": true, "--entrypoint": true,
		"--name": true, "-l": true, "--label": true, "-v": true, "--volume": true, "--wait-timeout": true,
		"--pull": true, "--exit-code-from": true, "--attach": true, "--no-attach": true, "--index": true,
		"--format": true, "--filter": true, "--status": true, "--env-file": true,
	}
	// -t is --timeout for these, --timestamps (no value) for logs.
	timeoutCommands = map[string]bool{"up": true, "down": true, "stop": true, "restart": true}
)

// checkReadme checks every `docker compose ...` command in the README's code (fenced blocks and code
// spans) against the loaded project, and that every file path it shows exists under dir.
func (c *checker) checkReadme(path string, project *types.Project) {
	data, err := os.ReadFile(path)
	if err != nil {
		c.problem("%s: %v", c.rel(path), err)
		return
	}
	commands := 0
	inFence := false
	var pending string
	for i, raw := range strings.Split(string(data), "\n") {
		lineNo := i + 1
		if fence.MatchString(raw) {
			inFence = !inFence
			continue
		}
		var snippets []string
		if inFence {
			l := strings.TrimSpace(raw)
			if strings.HasSuffix(l, "\\") {
				pending += strings.TrimSuffix(l, "\\") + " "
				continue
			}
			snippets = append(snippets, pending+l)
			pending = ""
		} else {
			for _, m := range codeSpan.FindAllStringSubmatch(raw, -1) {
				snippets = append(snippets, m[1])
			}
		}
		for _, snippet := range snippets {
			snippet = strings.TrimPrefix(strings.TrimSpace(snippet), "$ ")
			if strings.HasPrefix(snippet, "#") {
				continue
			}
			for _, part := range commandSep.Split(snippet, -1) {
				words, err := shellwords.Parse(strings.TrimSpace(part))
				if err != nil || len(words) == 0 {
					continue
				}
				for _, w := range words {
					c.checkPathToken(path, lineNo, w)
				}
				if idx := composeCommandStart(words); idx >= 0 {
					commands++
					c.checkComposeCommand(path, lineNo, words[idx:], project)
				}
			}
		}
	}
	c.checked = append(c.checked, c.rel(path)+" ("+strconv.Itoa(commands)+" docker compose commands)")
	if commands == 0 {
		c.problem("%s: no `docker compose` command found; the set-up walk-through is missing", c.rel(path))
	}
}

// composeCommandStart finds `docker compose` in a word list (after sudo, env assignments, etc.) and
// returns the index of the first word after it, or -1.
func composeCommandStart(words []string) int {
	for i := 0; i+1 < len(words); i++ {
		if words[i] == "docker" && words[i+1] == "compose" {
			return i + 2
		}
		if words[i] == "docker-compose" {
			return i + 1
		}
	}
	return -1
}

func (c *checker) checkComposeCommand(readme string, lineNo int, args []string, project *types.Project) {
	where := c.rel(readme) + ":" + strconv.Itoa(lineNo)
	known := func(service string) {
		if _, ok := project.Services[service]; !ok {
			c.problem("%s: `docker compose` names service %q, which compose.yml does not define", where, service)
		}
	}
	sub := ""
	var operands []string
	for i := 0; i < len(args); i++ {
		a := args[i]
		if strings.HasPrefix(a, "-") {
			name, value, hasValue := strings.Cut(a, "=")
			takesValue := globalValueOptions[name]
			if sub != "" {
				takesValue = commandValueOptions[name] || (name == "-t" && timeoutCommands[sub])
			}
			if takesValue && !hasValue && i+1 < len(args) {
				i++
				value = args[i]
				hasValue = true
			}
			if hasValue {
				switch {
				case sub == "" && (name == "-f" || name == "--file" || name == "--env-file"):
					c.checkPathExists(readme, lineNo, value)
				case name == "--scale":
					svc, _, _ := strings.Cut(value, "=")
					known(svc)
				}
			}
			continue
		}
		if sub == "" {
			sub = a
			continue
		}
		operands = append(operands, a)
		if oneServiceCommands[sub] {
			break // the rest is the command run inside the container
		}
	}
	switch {
	case sub == "":
		return
	case oneServiceCommands[sub]:
		if len(operands) == 0 {
			c.problem("%s: `docker compose %s` without a service", where, sub)
			return
		}
		known(operands[0])
	case serviceListCommands[sub]:
		for _, o := range operands {
			known(o)
		}
	case sub == "cp":
		for _, o := range operands {
			if svc, _, ok := strings.Cut(o, ":"); ok && !strings.Contains(svc, "/") {
				known(svc)
			}
		}
	}
}

// checkPathToken: a word that looks like a file of this set-up must exist (relative to dir, or to the
// repository root when it starts with docker/).
func (c *checker) checkPathToken(readme string, lineNo int, w string) {
	if strings.Contains(w, "://") || strings.HasPrefix(w, "/") || strings.HasPrefix(w, "~") || strings.ContainsAny(w, "$*<>") {
		return
	}
	if !pathToken.MatchString(w) {
		return
	}
	c.checkPathExists(readme, lineNo, w)
}

func (c *checker) checkPathExists(readme string, lineNo int, w string) {
	if strings.Contains(w, "://") || strings.HasPrefix(w, "/") || strings.ContainsAny(w, "$*<>") {
		return
	}
	p := filepath.Join(c.dir, w)
	if strings.HasPrefix(w, "docker/") {
		p = filepath.Join(filepath.Dir(c.dir), w)
	}
	if _, err := os.Stat(p); err != nil && !c.isGenerated(p) {
		c.problem("%s:%d: names %s, which does not exist", c.rel(readme), lineNo, w)
	}
}
