package examples_test

import (
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// A documented command is a nixlayer or dagger call command line that a
// document or a workflow shows, with where it is.
type documented struct {
	// where is the file (relative to the repository) and line, or the
	// workflow step.
	where string
	// dir is the directory (relative to the examples directory) that the
	// command runs in, which a relative -m is relative to.
	dir string
	// module is the -m of a dagger call, as written.
	module string
	// args are the words after "nixlayer", or after "dagger call" without
	// -m.
	args []string
	// dagger tells a dagger call from a nixlayer command.
	dagger bool
}

func (d documented) String() string {
	if d.dagger {
		m := ""
		if d.module != "" {
			m = "-m " + d.module + " "
		}
		return fmt.Sprintf("%s: dagger call %s%s", d.where, m, strings.Join(d.args, " "))
	}
	return fmt.Sprintf("%s: nixlayer %s", d.where, strings.Join(d.args, " "))
}

// documents are the Markdown files whose shell code blocks are checked,
// relative to the examples directory.
func documents(t *testing.T) []string {
	t.Helper()
	var out []string
	for _, pattern := range []string{"../README.md", "*/README.md", "../tests/README.md", "../docs/*.md"} {
		m, err := filepath.Glob(pattern)
		if err != nil {
			t.Fatal(err)
		}
		out = append(out, m...)
	}
	return out
}

// goRunCLI matches the package that a go run of the CLI names.
var goRunCLI = regexp.MustCompile(`^(\./|github\.com/nixlayer/nixlayer/)cmd/nixlayer(@\S+)?$`)

// documentedCommands collects every nixlayer and dagger call command of
// the documents' shell code blocks and of the workflows' dagger-for-github
// steps.
func documentedCommands(t *testing.T) []documented {
	t.Helper()
	var out []documented
	for _, doc := range documents(t) {
		data, err := os.ReadFile(doc)
		if err != nil {
			t.Fatal(err)
		}
		for _, l := range shellLines(string(data)) {
			for _, cmd := range commands(l.text) {
				where := fmt.Sprintf("%s:%d", repoPath(doc), l.n)
				if d, ok := parseCommand(cmd, where, filepath.Dir(doc)); ok {
					out = append(out, d)
				}
			}
		}
	}
	for _, wf := range loadWorkflows(t) {
		for _, s := range wf.daggerSteps() {
			if verb := s.with("verb"); verb != "" && verb != "call" {
				continue
			}
			// The steps run in the repository's root (or workdir), where a
			// relative module is.
			dir := filepath.Join(wf.repoRoot, s.with("workdir"))
			out = append(out, documented{
				where:  fmt.Sprintf("%s: step %q", repoPath(wf.path), s.Name),
				dir:    dir,
				module: s.with("module"),
				args:   words(s.with("args")),
				dagger: true,
			})
		}
	}
	return out
}

// parseCommand reads cmd as a nixlayer or dagger call command.
func parseCommand(cmd []string, where, dir string) (documented, bool) {
	switch {
	case cmd[0] == "nixlayer":
		return documented{where: where, dir: dir, args: cmd[1:]}, true
	case len(cmd) > 2 && cmd[0] == "go" && cmd[1] == "run" && goRunCLI.MatchString(cmd[2]):
		return documented{where: where, dir: dir, args: cmd[3:]}, true
	case cmd[0] == "dagger":
		d := documented{where: where, dir: dir, dagger: true}
		call := false
		for i := 1; i < len(cmd); i++ {
			switch w := cmd[i]; {
			case (w == "-m" || w == "--mod") && i+1 < len(cmd):
				d.module = cmd[i+1]
				i++
			case strings.HasPrefix(w, "--mod=") || strings.HasPrefix(w, "-m="):
				_, d.module, _ = strings.Cut(w, "=")
			case !call && w == "call":
				call = true
			case call:
				d.args = append(d.args, w)
			}
		}
		return d, call
	}
	return documented{}, false
}

// repoPath is a path relative to the examples directory, as a path
// relative to the repository.
func repoPath(p string) string {
	return filepath.Join("examples", p)
}

// TestDocumentedCommands checks every nixlayer and dagger call command that
// the READMEs, the docs and the workflows show against the real CLI and
// module: each command and function exists, each flag exists on the
// command or function it is given to, and each function's required flags
// are given. The CLI's flags are those its --help prints; the modules'
// are read from their Go source, as the engine reads them.
func TestDocumentedCommands(t *testing.T) {
	docs := documentedCommands(t)
	cli := newCLI(t)
	apis := map[string]*daggerAPI{}
	counts := map[bool]int{}
	for _, d := range docs {
		counts[d.dagger]++
		var problems []string
		if d.dagger {
			dir, err := moduleDir(d)
			if err != nil {
				t.Errorf("%s: %v", d, err)
				continue
			}
			if apis[dir] == nil {
				apis[dir] = loadAPI(t, dir)
			}
			_, problems = checkCall(apis[dir], d.args)
		} else {
			problems = cli.check(t, d.args)
		}
		for _, p := range problems {
			t.Errorf("%s\n\t%s", d, p)
		}
	}
	t.Logf("checked %d dagger call and %d nixlayer commands", counts[true], counts[false])
	if counts[true] < 20 || counts[false] < 5 {
		t.Errorf("found %d dagger call and %d nixlayer commands, want at least 20 and 5", counts[true], counts[false])
	}
}

// moduleDir is the directory (relative to the examples directory) of the
// module that d calls: nixlayer's own for github.com/nixlayer/nixlayer at
// any version, a local path relative to where d runs or to the repository,
// or, without -m, the module where d runs.
func moduleDir(d documented) (string, error) {
	m := d.module
	if m == "github.com/nixlayer/nixlayer" || strings.HasPrefix(m, "github.com/nixlayer/nixlayer@") {
		return "..", nil
	}
	if strings.Contains(m, "github.com/") {
		return "", fmt.Errorf("calls the module %s, which is not this repository's", m)
	}
	for _, dir := range []string{filepath.Join(d.dir, m), filepath.Join("..", m)} {
		if _, err := os.Stat(filepath.Join(dir, "dagger.json")); err == nil {
			return filepath.Clean(dir), nil
		}
	}
	if m == "" {
		return "", fmt.Errorf("names no module with -m, and %s holds none", repoPath(d.dir))
	}
	return "", fmt.Errorf("-m %s: no dagger.json there", m)
}

// call is one function of a dagger call chain, with the flags given to it.
type call struct {
	fn    string
	flags map[string]string
}

// daggerCLIFlags are dagger call's own flags, which may come before the
// first function, each with whether it takes a value.
var daggerCLIFlags = map[string]bool{"o": true, "output": true, "progress": true, "json": false, "j": false, "q": false, "v": false, "s": false, "silent": false}

// checkCall checks the words of a dagger call (after "call", without -m)
// against api, and returns the chain it calls and what is wrong with it.
func checkCall(api *daggerAPI, args []string) ([]call, []string) {
	var chain []call
	var problems []string
	typ := api.types[api.main]
	fn := typ.funcs[""]
	given := map[string]string{}
	finish := func() {
		for name, a := range fn.args {
			if _, ok := given[name]; a.required && !ok {
				problems = append(problems, fmt.Sprintf("%s lacks its required flag --%s", describe(api, typ, fn), name))
			}
		}
		chain = append(chain, call{fn: fn.name, flags: given})
	}
	for i := 0; i < len(args); i++ {
		w := args[i]
		if name, ok := strings.CutPrefix(w, "-"); ok {
			name = strings.TrimPrefix(name, "-")
			name, value, hasValue := strings.Cut(name, "=")
			a, known := fn.args[name]
			if !known && fn.name == "" {
				if takes, ok := daggerCLIFlags[name]; ok {
					if takes && !hasValue {
						i++
					}
					continue
				}
			}
			if !known {
				problems = append(problems, fmt.Sprintf("%s has no flag --%s (it has %s)", describe(api, typ, fn), name, fn.flagNames()))
				// Whether an unknown flag takes a value cannot be known;
				// stop rather than report what follows wrongly.
				return chain, problems
			}
			if !a.bool && !hasValue && i+1 < len(args) {
				i++
				value = args[i]
			}
			given[name] = value
			continue
		}
		finish()
		if fn.returns == "" {
			problems = append(problems, fmt.Sprintf("%s returns no object, but the call goes on with %s", describe(api, typ, fn), w))
			return chain, problems
		}
		typ = api.types[fn.returns]
		if typ.funcs[w] == nil {
			problems = append(problems, fmt.Sprintf("%s has no function %s (it has %s)", typeLabel(api, typ.name), w, typ.funcNames()))
			return chain, problems
		}
		fn, given = typ.funcs[w], map[string]string{}
	}
	finish()
	return chain, problems
}

// describe names fn of typ for a message: "nixlayer's closure",
// "nixlayer's constructor", "Container.with-exec".
func describe(api *daggerAPI, typ *objectType, fn *daggerFunc) string {
	if fn.name == "" {
		return api.name + "'s constructor"
	}
	return typeLabel(api, typ.name) + "." + fn.name
}

// typeLabel names an object type for a message: the module's name for its
// main type.
func typeLabel(api *daggerAPI, typ string) string {
	if typ == api.main {
		return api.name
	}
	return typ
}
