package sets

import (
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/nixlayer/nixlayer/internal/usererr"
)

func FuzzParseSpec(f *testing.F) {
	for _, seed := range []string{
		"", ",", " , ", "base", "base,python", "python, base ,base,", "pyhton",
		"Python", "vscode", "go,goDev,rust,rustDev,bash", "\tnode,\nnodeDev", "a,b,,c", "é,ü",
	} {
		f.Add(seed)
	}
	catalog := Builtin()
	known := catalog.Names()
	f.Fuzz(func(t *testing.T, spec string) {
		names, err := ParseSpec(spec)
		if err != nil {
			checkBadInput(t, err)
			if names != nil {
				t.Errorf("ParseSpec(%q) returned names %q with an error", spec, names)
			}
		} else {
			if len(names) == 0 {
				t.Fatalf("ParseSpec(%q) returned no names and no error", spec)
			}
			seen := make(map[string]bool)
			for _, n := range names {
				if n == "" || n != strings.TrimSpace(n) || strings.Contains(n, ",") || seen[n] {
					t.Errorf("ParseSpec(%q) returned bad or repeated name %q", spec, n)
				}
				seen[n] = true
			}
			again, err := ParseSpec(strings.Join(names, ","))
			if err != nil || !slices.Equal(again, names) {
				t.Errorf("ParseSpec(Join(%q)) = %q, %v; want the same names", names, again, err)
			}
		}

		sel, err := catalog.Compose(spec, []Attr{{Path: "htop", Origin: "--packages"}})
		if err != nil {
			checkBadInput(t, err)
			var unknown *UnknownSetError
			if errors.As(err, &unknown) && unknown.Suggestion != "" && !slices.Contains(known, unknown.Suggestion) {
				t.Errorf("suggested %q, which is not a known set", unknown.Suggestion)
			}
			return
		}
		checkSelection(t, catalog, sel)
		// Order and repetition in the spec do not matter.
		reversed := slices.Clone(names)
		slices.Reverse(reversed)
		other, err := catalog.Compose(strings.Join(append(reversed, names...), ","), []Attr{{Path: "htop", Origin: "--packages"}})
		if err != nil {
			t.Fatalf("Compose of the reversed spec: %v", err)
		}
		if a, b := mustJSON(t, sel), mustJSON(t, other); a != b {
			t.Errorf("Compose depends on spec order:\n%s\n%s", a, b)
		}
	})
}

func FuzzParseProject(f *testing.F) {
	if data, err := os.ReadFile(filepath.Join("testdata", "project.yaml")); err == nil {
		f.Add(data)
	}
	for _, tt := range projectErrorTests {
		f.Add([]byte(tt.data))
	}
	for _, seed := range []string{"", "~", "{}", "sets:\n  x: {attrs: [jq], settings: {a: [1, {b: null}]}}\npackages: [jq]\n"} {
		f.Add([]byte(seed))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		proj, err := ParseProject(DefaultProjectFile, data)
		if err != nil {
			checkBadInput(t, err)
			var pe *ProjectError
			if !errors.As(err, &pe) || pe.File != DefaultProjectFile || pe.Line < 1 {
				t.Fatalf("error %#v is not a *ProjectError with a line", err)
			}
			if !strings.HasPrefix(err.Error(), DefaultProjectFile+":") {
				t.Errorf("error %q does not start with the file name", err)
			}
			return
		}
		if proj.Path != DefaultProjectFile {
			t.Errorf("Path = %q", proj.Path)
		}
		for _, s := range proj.Sets {
			if reason := setProblem(s); reason != "" {
				t.Errorf("set %q: %s", s.Name, reason)
			}
		}
		for _, o := range proj.Overlays {
			if o.Path == "" || !strings.HasSuffix(o.Path, ".nix") || o.Line < 1 {
				t.Errorf("bad overlay %+v", o)
			}
		}
		if _, err := json.Marshal(proj); err != nil {
			t.Errorf("project cannot be written as JSON: %v", err)
		}
		c, err := Builtin().With(proj.Sets...)
		if err != nil {
			t.Fatalf("With(project sets): %v", err)
		}
		spec := []string{"base"}
		for _, s := range proj.Sets {
			spec = append(spec, s.Name)
		}
		sel, err := c.Compose(strings.Join(spec, ","), proj.Packages)
		if err != nil {
			t.Fatalf("Compose(%q): %v", spec, err)
		}
		checkSelection(t, c, sel)
	})
}

// checkBadInput checks the promises every input error makes.
func checkBadInput(t *testing.T, err error) {
	t.Helper()
	if !errors.Is(err, usererr.ErrBadInput) {
		t.Errorf("error %q does not wrap usererr.ErrBadInput", err)
	}
	if msg := err.Error(); strings.ContainsAny(msg, "\r\n") || msg == "" {
		t.Errorf("error %q is not a single line", msg)
	}
}

// checkSelection checks that sel is in canonical order, without repeats,
// and holds only valid attributes.
func checkSelection(t *testing.T, c Catalog, sel Selection) {
	t.Helper()
	order := c.Names()
	last := -1
	for _, name := range sel.Sets {
		i := slices.Index(order, name)
		if i <= last {
			t.Errorf("Sets %q are not in canonical order", sel.Sets)
		}
		last = i
	}
	seen := make(map[string]bool)
	for _, a := range sel.Attrs {
		if err := ValidAttrPath(a.Path); err != nil {
			t.Error(err)
		}
		if seen[a.Path] {
			t.Errorf("attribute %q appears twice", a.Path)
		}
		seen[a.Path] = true
		if a.Origin == "" {
			t.Errorf("attribute %q has no origin", a.Path)
		}
	}
	seenExt := make(map[string]bool)
	for _, e := range sel.Extensions {
		if seenExt[strings.ToLower(e)] {
			t.Errorf("extension %q appears twice", e)
		}
		seenExt[strings.ToLower(e)] = true
	}
	if _, err := json.Marshal(sel); err != nil {
		t.Errorf("selection cannot be written as JSON: %v", err)
	}
}

func mustJSON(t *testing.T, v any) string {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}
