package nix

import (
	"testing"

	"github.com/google/go-cmp/cmp"
)

func TestClosureFactsFallback(t *testing.T) {
	src := "/nix/store/" + hashA + "-fix-2.0.patch"
	out := "/nix/store/" + hashB + "-lib-1.0"
	c, err := NewClosure([]PathInfo{
		{Path: src, NarHash: sri},
		{Path: out, NarHash: sri, References: []string{src}, Deriver: "/nix/store/" + hashB + "-other.drv"},
	})
	if err != nil {
		t.Fatal(err)
	}
	// The derivation is found by its outputs, not by the deriver.
	drvs := map[string]Derivation{drvA: {Path: drvA, Name: "lib-1.0", Outputs: map[string]string{"out": out}, Env: map[string]string{}}}
	got := ClosureFacts(c, drvs)
	want := []Facts{
		{Path: out, Deriver: drvA, Output: "out", Name: "lib-1.0", Pname: "lib", Version: "1.0",
			Source: &Source{Note: "no src: built from its inputs alone (a wrapper, an environment or generated files)"}},
		{Path: src, Name: "fix-2.0.patch", Pname: "fix", Version: "2.0.patch", Fallback: true},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
	// Without derivations, every path falls back to its name.
	for _, f := range ClosureFacts(c, nil) {
		if !f.Fallback || f.Deriver != "" {
			t.Errorf("facts without derivations: %+v", f)
		}
	}
}

func TestParseDrvName(t *testing.T) {
	for _, tt := range []struct{ in, pname, version string }{
		{"openssl-3.0.14", "openssl", "3.0.14"},
		{"nss-cacert-3.101", "nss-cacert", "3.101"},
		{"nss-cacert", "nss-cacert", ""},
		{"python3.11-pip-24.2", "python3.11-pip", "24.2"},
		{"rust-analyzer-2024-11-04", "rust-analyzer", "2024-11-04"},
		{"glibc-2.36-bin", "glibc", "2.36-bin"},
		{"source", "source", ""},
		{"a-", "a-", ""},
	} {
		if p, v := ParseDrvName(tt.in); p != tt.pname || v != tt.version {
			t.Errorf("ParseDrvName(%q) = %q, %q; want %q, %q", tt.in, p, v, tt.pname, tt.version)
		}
	}
}

func TestCVEIDs(t *testing.T) {
	got := CVEIDs("openssl-cve-2024-5535+CVE-2023-0464-and-CVE-2024-5535.patch")
	if diff := cmp.Diff([]string{"CVE-2023-0464", "CVE-2024-5535"}, got); diff != "" {
		t.Error(diff)
	}
	if got := CVEIDs("fix-build.patch"); got != nil {
		t.Errorf("CVEIDs(fix-build.patch) = %q", got)
	}
}
