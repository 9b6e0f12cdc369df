package main

import (
	"encoding/json"
	"regexp"
	"slices"
	"strings"
	"testing"

	"github.com/nixlayer/nixlayer/internal/report"
)

// TestClosure runs the closure command on the real Nix, with the test
// universe as nixpkgs, in one chroot store shared by the subtests.
func TestClosure(t *testing.T) {
	useUniverse(t)

	t.Run("text", func(t *testing.T) {
		code, stdout, stderr := cli(t, "closure", "--sets", "python,base")
		if code != exitOK {
			t.Fatalf("exit status %d: %s", code, stderr)
		}
		lines := strings.Split(strings.TrimSuffix(stdout, "\n"), "\n")
		line := regexp.MustCompile(`^ *[0-9.]+ (B|[KMG]iB)  /nix/store/[0-9a-z]{32}-\S+$`)
		for _, l := range lines[:len(lines)-1] {
			if !line.MatchString(l) {
				t.Errorf("closure line %q is not <size>  <store path>", l)
			}
		}
		if !regexp.MustCompile(`^[0-9]+ paths, [0-9.]+ MiB$`).MatchString(lines[len(lines)-1]) {
			t.Errorf("last line %q is not the total", lines[len(lines)-1])
		}
		for _, want := range []string{"-bash-5.2p15", "-python3-3.11.2", "-glibc-2.36", "-coreutils-9.1"} {
			if !strings.Contains(stdout, want+"\n") {
				t.Errorf("closure has no %s path:\n%s", want, stdout)
			}
		}
		if !strings.Contains(stderr, "nixlayer: building 8 attributes") {
			t.Errorf("no progress on stderr: %q", stderr)
		}
	})

	t.Run("json", func(t *testing.T) {
		code, stdout, stderr := cli(t, "closure", "--sets", "base,python", "--packages", "jq", "--json", "-q")
		if code != exitOK {
			t.Fatalf("exit status %d: %s", code, stderr)
		}
		if stderr != "" {
			t.Errorf("-q printed %q", stderr)
		}
		var doc report.ClosureDoc
		if err := json.Unmarshal([]byte(stdout), &doc); err != nil {
			t.Fatal(err)
		}
		var python, glibc string
		var sum int64
		refs := map[string][]string{}
		for _, p := range doc.Paths {
			sum += p.NarSize
			refs[p.Path] = p.References
			if strings.HasSuffix(p.Path, "-glibc-2.36") {
				glibc = p.Path
			}
		}
		for _, p := range doc.Packages {
			if p.Attr == "python312" {
				python = p.OutPath
			}
		}
		if sum != doc.Total {
			t.Errorf("totalNarSize %d, paths add up to %d", doc.Total, sum)
		}
		if !slices.Contains(refs[python], glibc) || glibc == "" {
			t.Errorf("python %s does not reference glibc %q: %v", python, glibc, refs[python])
		}
		if got := doc.Packages[len(doc.Packages)-1]; got.Attr != "jq" || got.Origin != "--packages" {
			t.Errorf("last package = %s from %s, want jq from --packages", got.Attr, got.Origin)
		}
	})

	bad := []struct {
		name, project string
		args          []string
		want          string
	}{
		{"missing attribute", "", []string{"--packages", "nosuchpkg"},
			`nixlayer: nixpkgs has no attribute "nosuchpkg" (from --packages)` + "\n"},
		{"missing attribute from a project set",
			"sets:\n  extras:\n    attrs: [jq, nosuchpkg]\n", []string{"--sets", "base,extras"},
			`nixlayer: nixpkgs has no attribute "nosuchpkg" (from set "extras")` + "\n"},
		{"evaluation error", "overlays: [broken.nix]\n", nil, ""},
	}
	for _, tt := range bad {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			args := []string{"closure", "--sets", "base"}
			if tt.project != "" {
				writeFile(t, dir, "broken.nix", "final: prev: { jq = prev.jq.overrideAttrs ( ; }")
				args = append(args, "--project", writeFile(t, dir, "p.yaml", tt.project))
			}
			code, stdout, stderr := cli(t, append(append(args, tt.args...), "-q")...)
			if code != exitBadInput || stdout != "" || strings.Count(stderr, "\n") != 1 {
				t.Errorf("exit %d, stdout %q, stderr %q: want exit 2, no output, one line", code, stdout, stderr)
			}
			if tt.want != "" && stderr != tt.want {
				t.Errorf("stderr = %q, want %q", stderr, tt.want)
			}
			if tt.want == "" && (!strings.Contains(stderr, "evaluating the plan") || !strings.Contains(stderr, "syntax error")) {
				t.Errorf("stderr = %q, want Nix's syntax error", stderr)
			}
		})
	}
}
