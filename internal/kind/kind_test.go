package kind_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/nixlayer/nixlayer/internal/kind"
	"github.com/nixlayer/nixlayer/internal/sets"
	"github.com/nixlayer/nixlayer/internal/usererr"
)

func TestParse(t *testing.T) {
	tests := []struct {
		in, sets, err string
		want          kind.Kind
	}{
		{in: "devcontainer", want: kind.Devcontainer, sets: "base,vscodeCompat,devTools,nixTools"},
		{in: "DEVCONTAINER", want: kind.Devcontainer, sets: "base,vscodeCompat,devTools,nixTools"},
		{in: "runtime", want: kind.Runtime, sets: "base"},
		{in: "Runtime", want: kind.Runtime, sets: "base"},
		{in: "vm", err: `unknown kind of image "vm"; nixlayer builds devcontainer and runtime`},
		{in: "", err: `unknown kind of image ""; nixlayer builds devcontainer and runtime`},
	}
	for _, tt := range tests {
		got, err := kind.Parse(tt.in)
		if tt.err != "" {
			if err == nil || err.Error() != tt.err || !errors.Is(err, usererr.ErrBadInput) {
				t.Errorf("Parse(%q) error = %v, want %q", tt.in, err, tt.err)
			}
			continue
		}
		if err != nil || got != tt.want {
			t.Errorf("Parse(%q) = %q, %v; want %q", tt.in, got, err, tt.want)
		}
		if s := got.DefaultSets(); s != tt.sets {
			t.Errorf("%s.DefaultSets() = %q, want %q", got, s, tt.sets)
		}
	}
}

func TestCheckAndRequired(t *testing.T) {
	attrs := []sets.Attr{{Path: "bashInteractive", Origin: "base"}, {Path: "sudo", Origin: "devTools"}}
	if err := kind.Runtime.Check(attrs); !errors.Is(err, usererr.ErrBadInput) || !strings.Contains(err.Error(), `"sudo" (from devTools)`) {
		t.Errorf("runtime with sudo: %v", err)
	}
	if err := kind.Devcontainer.Check(attrs); err != nil {
		t.Errorf("devcontainer with sudo: %v", err)
	}
	got := kind.Devcontainer.WithRequired(attrs)
	want := []sets.Attr{{Path: "bashInteractive", Origin: "base"}, {Path: "sudo", Origin: "devTools"},
		{Path: "coreutils", Origin: "devcontainer"}, {Path: "gnused", Origin: "devcontainer"},
		{Path: "nix", Origin: "devcontainer"}, {Path: "direnv", Origin: "devcontainer"}, {Path: "nix-direnv", Origin: "devcontainer"},
		{Path: "glibc", Origin: "devcontainer"}, {Path: "stdenv.cc.cc.lib", Origin: "devcontainer"}, {Path: "gnutar", Origin: "devcontainer"},
		{Path: "gzip", Origin: "devcontainer"}, {Path: "procps", Origin: "devcontainer"}, {Path: "getent", Origin: "devcontainer"}}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("WithRequired (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]string{"coreutils", "gnused", "nix", "direnv", "nix-direnv", "glibc", "stdenv.cc.cc.lib", "gnutar", "gzip", "procps", "getent"}, kind.Devcontainer.Added(got)); diff != "" {
		t.Errorf("Added (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff(attrs, kind.Runtime.WithRequired(attrs)); diff != "" {
		t.Errorf("a runtime image requires attributes (-want +got):\n%s", diff)
	}
}

func TestDescribe(t *testing.T) {
	for _, tc := range []struct {
		k        kind.Kind
		spec     string
		packages []string
		want     string
	}{
		{kind.Runtime, "base,python", []string{"htop"}, "runtime image of base,python and htop"},
		{kind.Devcontainer, "", nil, "devcontainer image of base,vscodeCompat,devTools,nixTools"},
	} {
		if got := tc.k.Describe(tc.spec, tc.packages); got != tc.want {
			t.Errorf("Describe(%q, %q) = %q, want %q", tc.spec, tc.packages, got, tc.want)
		}
	}
}

// TestEditorIsVSCodeCompat keeps the two owners of one fact together: what
// an editor needs of a devcontainer is the vscodeCompat set's attributes.
func TestEditorIsVSCodeCompat(t *testing.T) {
	set, ok := sets.Builtin().Lookup("vscodeCompat")
	if !ok {
		t.Fatal("no vscodeCompat set")
	}
	if diff := cmp.Diff(set.Attrs, kind.Editor); diff != "" {
		t.Errorf("kind.Editor is not vscodeCompat's attributes (-set +Editor):\n%s", diff)
	}
}
