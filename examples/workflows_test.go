package examples_test

import (
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"go.yaml.in/yaml/v3"
)

// A workflow is a GitHub Actions workflow file, decoded as far as these
// tests read it.
type workflow struct {
	// path is the file, relative to the examples directory.
	path string
	// repoRoot is the root of the repository the workflow runs in: this
	// one's, or an example's own.
	repoRoot string

	Name        string            `yaml:"name"`
	On          yaml.Node         `yaml:"on"`
	Permissions yaml.Node         `yaml:"permissions"`
	Env         map[string]string `yaml:"env"`
	Jobs        map[string]*job   `yaml:"jobs"`
}

// job is a workflow's job.
type job struct {
	RunsOn      string            `yaml:"runs-on"`
	Permissions map[string]string `yaml:"permissions"`
	Env         map[string]string `yaml:"env"`
	Steps       []*step           `yaml:"steps"`

	name string
	wf   *workflow
}

// step is a job's step.
type step struct {
	Name string            `yaml:"name"`
	Uses string            `yaml:"uses"`
	Run  string            `yaml:"run"`
	With map[string]string `yaml:"with"`
	Env  map[string]string `yaml:"env"`

	job *job
}

// daggerAction is the action that runs dagger in a workflow.
const daggerAction = "dagger/dagger-for-github"

// workflowFiles are the workflow files of this repository and of the
// examples, relative to the examples directory, each with the root of the
// repository it runs in.
func workflowFiles(t *testing.T) map[string]string {
	t.Helper()
	out := map[string]string{}
	roots := []string{".."}
	for _, dotGitHub := range globT(t, "*/.github") {
		roots = append(roots, filepath.Dir(dotGitHub))
	}
	for _, root := range roots {
		for _, ext := range []string{"*.yml", "*.yaml"} {
			for _, f := range globT(t, filepath.Join(root, ".github", "workflows", ext)) {
				out[f] = filepath.Clean(root)
			}
		}
	}
	return out
}

// loadWorkflows decodes every workflow file.
func loadWorkflows(t *testing.T) []*workflow {
	t.Helper()
	var out []*workflow
	for file, root := range workflowFiles(t) {
		data, err := os.ReadFile(file)
		if err != nil {
			t.Fatal(err)
		}
		wf := &workflow{path: file, repoRoot: root}
		if err := yaml.Unmarshal(data, wf); err != nil {
			t.Fatalf("%s: %v", repoPath(file), err)
		}
		for name, j := range wf.Jobs {
			j.name, j.wf = name, wf
			for _, s := range j.Steps {
				s.job = j
			}
		}
		out = append(out, wf)
	}
	slices.SortFunc(out, func(a, b *workflow) int { return strings.Compare(a.path, b.path) })
	return out
}

// daggerSteps are the workflow's steps that run dagger-for-github.
func (wf *workflow) daggerSteps() []*step {
	var out []*step
	for _, name := range sortedKeys(wf.Jobs) {
		for _, s := range wf.Jobs[name].Steps {
			if action, _, _ := strings.Cut(s.Uses, "@"); action == daggerAction {
				out = append(out, s)
			}
		}
	}
	return out
}

// expression matches a GitHub Actions expression, and env.NAME in one.
var (
	expression = regexp.MustCompile(`\$\{\{\s*(.*?)\s*\}\}`)
	envRef     = regexp.MustCompile(`^env\.([A-Za-z_][A-Za-z0-9_]*)$`)
)

// with is the step's input, with each ${{ env.NAME }} replaced by the
// step's, job's or workflow's variable, and any other expression by X, a
// stand-in word for a value only the run knows.
func (s *step) with(input string) string {
	return expression.ReplaceAllStringFunc(s.With[input], func(e string) string {
		m := envRef.FindStringSubmatch(expression.FindStringSubmatch(e)[1])
		if m == nil {
			return "X"
		}
		for _, env := range []map[string]string{s.Env, s.job.Env, s.job.wf.Env} {
			if v, ok := env[m[1]]; ok {
				return v
			}
		}
		return "X"
	})
}

// TestWorkflowSet checks that this repository has the four workflows it
// documents, each of which calls the module, and that each workflow is
// well-formed.
func TestWorkflowSet(t *testing.T) {
	var root []string
	for file, r := range workflowFiles(t) {
		if r == ".." {
			root = append(root, filepath.Base(file))
		}
	}
	slices.Sort(root)
	want := []string{"build-containers.yml", "ci.yml", "security-scan.yml", "update-nixpkgs.yml"}
	if diff := cmp.Diff(want, root); diff != "" {
		t.Errorf(".github/workflows (-want +got):\n%s", diff)
	}
	examples := 0
	for _, wf := range loadWorkflows(t) {
		if wf.repoRoot != ".." {
			examples++
		}
		if wf.Name == "" || len(wf.Jobs) == 0 || wf.On.Kind == 0 {
			t.Errorf("%s: no name, no on or no jobs", repoPath(wf.path))
		}
		if len(wf.daggerSteps()) == 0 {
			t.Errorf("%s: no step runs %s", repoPath(wf.path), daggerAction)
		}
		for _, name := range sortedKeys(wf.Jobs) {
			if j := wf.Jobs[name]; j.RunsOn == "" || len(j.Steps) == 0 {
				t.Errorf("%s: job %s has no runs-on or no steps", repoPath(wf.path), name)
			}
		}
	}
	if examples == 0 {
		t.Error("no example has a workflow")
	}
}

// usesLine matches a uses: line and its comment.
var (
	usesLine   = regexp.MustCompile(`^\s*(?:-\s+)?uses:\s*(\S+)\s*(#.*)?$`)
	pinnedRef  = regexp.MustCompile(`^[A-Za-z0-9_.-]+/[A-Za-z0-9_.-]+(/[A-Za-z0-9_./-]+)?@[0-9a-f]{40}$`)
	versionTag = regexp.MustCompile(`^# v[0-9]+\.[0-9]+\.[0-9]+$`)
)

// TestActionPins checks every uses: in the YAML files of .github and of
// the examples (workflows and composite actions): each third-party action
// is pinned by a full commit SHA, with its version as a comment, and every
// use of an action names the same commit and version.
func TestActionPins(t *testing.T) {
	var files []string
	for _, dir := range append([]string{"../.github"}, globT(t, "*/.github")...) {
		err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
			if err == nil && !d.IsDir() && (strings.HasSuffix(p, ".yml") || strings.HasSuffix(p, ".yaml")) {
				files = append(files, p)
			}
			return err
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	pins := map[string]string{} // action → "sha # vX.Y.Z"
	where := map[string]string{}
	uses := 0
	for _, file := range files {
		data, err := os.ReadFile(file)
		if err != nil {
			t.Fatal(err)
		}
		// Every uses: is on a line of its own, so that none escapes the
		// check: count them in the YAML too.
		var doc yaml.Node
		if err := yaml.Unmarshal(data, &doc); err != nil {
			t.Fatalf("%s: %v", repoPath(file), err)
		}
		inYAML := countUses(&doc)
		onLines := 0
		for i, line := range strings.Split(string(data), "\n") {
			m := usesLine.FindStringSubmatch(line)
			if m == nil {
				continue
			}
			onLines++
			at := fmt.Sprintf("%s:%d", repoPath(file), i+1)
			ref, comment := m[1], strings.TrimSpace(m[2])
			if strings.HasPrefix(ref, "./") {
				continue // a local action, at the same commit
			}
			uses++
			if !pinnedRef.MatchString(ref) {
				t.Errorf("%s: %s is not pinned by a full commit SHA", at, ref)
				continue
			}
			if !versionTag.MatchString(comment) {
				t.Errorf("%s: %s has no version comment such as # v1.2.3, but %q", at, ref, comment)
			}
			action, sha, _ := strings.Cut(ref, "@")
			// A sub-action (github/codeql-action/upload-sarif) shares its
			// repository's tags.
			repo := strings.Join(strings.SplitN(action, "/", 3)[:2], "/")
			pin := sha + " " + comment
			if prev, ok := pins[repo]; ok && prev != pin {
				t.Errorf("%s: %s is pinned to %s, but to %s at %s", at, repo, pin, prev, where[repo])
			} else if !ok {
				pins[repo], where[repo] = pin, at
			}
		}
		if onLines != inYAML {
			t.Errorf("%s: %d uses: lines, but %d uses in the YAML: write each as uses: REF # vX.Y.Z on a line of its own", repoPath(file), onLines, inYAML)
		}
	}
	if uses == 0 {
		t.Fatal("found no uses:")
	}
	if _, ok := pins[daggerAction]; !ok {
		t.Errorf("no workflow uses %s", daggerAction)
	}
}

// countUses counts the mappings' uses keys under n.
func countUses(n *yaml.Node) int {
	count := 0
	if n.Kind == yaml.MappingNode {
		for i := 0; i+1 < len(n.Content); i += 2 {
			if n.Content[i].Value == "uses" && n.Content[i+1].Kind == yaml.ScalarNode {
				count++
			}
		}
	}
	for _, c := range n.Content {
		count += countUses(c)
	}
	return count
}

// TestDaggerVersions checks that every dagger-for-github step runs the
// engine version of the root dagger.json, exactly as it is written there
// (the action accepts it with or without the v), and that the modules of
// tests/ and examples/go name the same version.
func TestDaggerVersions(t *testing.T) {
	want := engineVersion(t)
	steps := 0
	for _, wf := range loadWorkflows(t) {
		for _, s := range wf.daggerSteps() {
			steps++
			if got := s.with("version"); got != want {
				t.Errorf("%s: job %s, step %q runs Dagger %q, want %q as dagger.json names it", repoPath(wf.path), s.job.name, s.Name, got, want)
			}
		}
	}
	if steps == 0 {
		t.Fatalf("no step runs %s", daggerAction)
	}
	for _, file := range []string{"go/dagger.json", "../tests/dagger.json"} {
		var mod struct {
			EngineVersion string `json:"engineVersion"`
		}
		readJSON(t, file, &mod)
		if mod.EngineVersion != want {
			t.Errorf("%s: engineVersion %q, want %q as in the root dagger.json", repoPath(file), mod.EngineVersion, want)
		}
	}
}

// writeNeeds says, for each permission a job may be given to write, which
// steps need it: a job that writes must have one.
var writeNeeds = map[string]func(*step) bool{
	// Publishing images to GitHub's registry.
	"packages": func(s *step) bool {
		args := " " + s.with("args") + " "
		return strings.HasPrefix(s.Uses, daggerAction+"@") && (strings.Contains(args, " publish ") || strings.Contains(args, " with-registry-auth "))
	},
	// Uploading SARIF to code scanning.
	"security-events": usesAction("github/codeql-action/upload-sarif"),
	// Pushing a branch and opening a pull request with GITHUB_TOKEN.
	"contents":      usesAction("peter-evans/create-pull-request"),
	"pull-requests": usesAction("peter-evans/create-pull-request"),
}

func usesAction(action string) func(*step) bool {
	return func(s *step) bool { return strings.HasPrefix(s.Uses, action+"@") }
}

// TestPermissions checks that every workflow gives GITHUB_TOKEN only read
// access to the contents by default, and that every job states its own
// permissions, writing only what one of its steps needs.
func TestPermissions(t *testing.T) {
	for _, wf := range loadWorkflows(t) {
		var top map[string]string
		if err := wf.Permissions.Decode(&top); err != nil || !cmp.Equal(top, map[string]string{"contents": "read"}) {
			t.Errorf("%s: permissions %v, want contents: read alone (%v)", repoPath(wf.path), top, err)
		}
		for _, name := range sortedKeys(wf.Jobs) {
			j := wf.Jobs[name]
			if len(j.Permissions) == 0 {
				t.Errorf("%s: job %s states no permissions", repoPath(wf.path), name)
			}
			for _, scope := range sortedKeys(j.Permissions) {
				if j.Permissions[scope] != "write" {
					continue
				}
				need := writeNeeds[scope]
				if need == nil || !slices.ContainsFunc(j.Steps, need) {
					t.Errorf("%s: job %s may write %s, but no step of it needs to", repoPath(wf.path), name, scope)
				}
			}
		}
	}
}

// engineVersion is the engine version of nixlayer's dagger.json.
func engineVersion(t *testing.T) string {
	t.Helper()
	var root struct {
		EngineVersion string `json:"engineVersion"`
	}
	readJSON(t, "../dagger.json", &root)
	if root.EngineVersion == "" {
		t.Fatal("../dagger.json has no engineVersion")
	}
	return root.EngineVersion
}

func globT(t *testing.T, pattern string) []string {
	t.Helper()
	m, err := filepath.Glob(pattern)
	if err != nil {
		t.Fatal(err)
	}
	return m
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}
