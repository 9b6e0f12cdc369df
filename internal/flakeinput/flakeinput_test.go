package flakeinput

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

var update = flag.Bool("update", false, "rewrite the golden files")

const (
	url2605 = "github:NixOS/nixpkgs/nixos-26.05-small"
	branch  = "nixos-26.11-small"
)

// cases are the golden cases: testdata/in/<file>.nix, rewritten from old
// to WithRef(old, branch), gives testdata/golden/<name>.nix, or, when it
// is refused, the error in testdata/golden/<name>.err.
var cases = []struct {
	name, file, input, old string
	refused                bool
}{
	{"repo-flake", "repo-flake", "nixpkgs", url2605, false},
	{"inputs-set", "inputs-set", "nixpkgs", url2605, false},
	{"input-set", "input-set", "nixpkgs", url2605, false},
	{"nested", "nested", "nixpkgs", url2605, false},
	{"comments", "comments", "nixpkgs", url2605, false},
	{"same-url-elsewhere", "same-url-elsewhere", "nixpkgs", url2605, false},
	{"other-input", "same-url-elsewhere", "stable", url2605, false},
	{"tricky-code", "tricky-code", "nixpkgs", url2605, false},
	{"query-ref", "query-ref", "nixpkgs", "github:NixOS/nixpkgs?ref=nixos-26.05-small&shallow=1", false},
	{"escaped", "escaped", "nixpkgs", url2605, false},
	{"uri-literal", "uri-literal", "nixpkgs", url2605, true},
	{"mismatch", "inputs-set", "nixpkgs", "github:NixOS/nixpkgs/nixos-25.11-small", true},
	{"no-such-input", "inputs-set", "nixpkgs-unstable", url2605, true},
	{"no-input", "no-input", "nixpkgs", url2605, true},
	{"commented-out", "commented-out", "nixpkgs", url2605, true},
	{"twice", "twice", "nixpkgs", url2605, true},
	{"follows", "follows", "nixpkgs", url2605, true},
	{"let-top", "let-top", "nixpkgs", url2605, true},
	{"interpolated-set", "interpolated-set", "nixpkgs", url2605, true},
	{"indented", "indented", "nixpkgs", url2605, true},
	{"imported", "imported", "nixpkgs", url2605, true},
	{"dynamic", "dynamic", "nixpkgs", url2605, true},
	{"unterminated-string", "unterminated-string", "nixpkgs", url2605, true},
	{"unterminated-comment", "unterminated-comment", "nixpkgs", url2605, true},
	{"missing-semicolon", "missing-semicolon", "nixpkgs", url2605, true},
}

func readInput(t testing.TB, file string) []byte {
	t.Helper()
	src, err := os.ReadFile(filepath.Join("testdata", "in", file+".nix"))
	if err != nil {
		t.Fatal(err)
	}
	return src
}

func TestSetInputURL(t *testing.T) {
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			src := readInput(t, tc.file)
			newURL, err := WithRef(tc.old, branch)
			if err != nil {
				t.Fatal(err)
			}
			out, err := SetInputURL(src, tc.input, tc.old, newURL)
			var got []byte
			golden := filepath.Join("testdata", "golden", tc.name)
			if err != nil {
				got, golden = []byte(err.Error()+"\n"), golden+".err"
				if !tc.refused {
					t.Errorf("SetInputURL refused: %v", err)
				}
				if strings.ContainsAny(strings.TrimSuffix(string(got), "\n"), "\n\r") {
					t.Errorf("error %q is not one line", err)
				}
			} else {
				got, golden = out, golden+".nix"
				if tc.refused {
					t.Errorf("SetInputURL succeeded, want the error in %s.err", golden)
				}
				checkOnlyLiteral(t, src, out, tc.input, newURL)
			}
			if *update {
				if err := os.WriteFile(golden, got, 0o644); err != nil {
					t.Fatal(err)
				}
			}
			want, err := os.ReadFile(golden)
			if err != nil {
				t.Fatalf("%v (run go test -update to write it)", err)
			}
			if diff := cmp.Diff(string(want), string(got)); diff != "" {
				t.Errorf("%s (-want +got):\n%s", golden, diff)
			}
		})
	}
}

// checkOnlyLiteral checks that out is src with bytes changed only inside
// the url literal of input, which now holds newURL.
func checkOnlyLiteral(t *testing.T, src, out []byte, input, newURL string) {
	t.Helper()
	b, err := locate(src, input, nil)
	if err != nil {
		t.Fatalf("locating the literal: %v", err)
	}
	start, end := b.tok.start+1, b.tok.end-1
	tail := len(src) - end
	if !bytes.Equal(out[:start], src[:start]) || len(out) < start+tail || !bytes.Equal(out[len(out)-tail:], src[end:]) {
		t.Errorf("bytes outside the literal at %d:%d changed", start, end)
	}
	if got, err := InputURL(out, input); err != nil || got != newURL {
		t.Errorf("InputURL of the result = %q, %v; want %q", got, err, newURL)
	}
}

// TestRepoFlake rewrites the repository's own nix/flake.nix, as it is
// now, to the next release and back.
func TestRepoFlake(t *testing.T) {
	src, err := os.ReadFile("../../nix/flake.nix")
	if err != nil {
		t.Fatal(err)
	}
	old, err := InputURL(src, "nixpkgs")
	if err != nil {
		t.Fatal(err)
	}
	ref, err := Ref(old)
	if err != nil {
		t.Fatal(err)
	}
	newURL, err := WithRef(old, "nixos-99.11-small")
	if err != nil {
		t.Fatal(err)
	}
	out, err := SetInputURL(src, "nixpkgs", old, newURL)
	if err != nil {
		t.Fatal(err)
	}
	if n := bytes.Count(src, []byte(`"`+old+`"`)); n != 1 {
		t.Fatalf("nix/flake.nix holds %q %d times; this test expects it once", old, n)
	}
	want := bytes.Replace(src, []byte(`"`+old+`"`), []byte(`"`+newURL+`"`), 1)
	if diff := cmp.Diff(string(want), string(out)); diff != "" {
		t.Errorf("rewriting %s (-want +got):\n%s", ref, diff)
	}
	back, err := SetInputURL(out, "nixpkgs", newURL, old)
	if err != nil || !bytes.Equal(back, src) {
		t.Errorf("rewriting back: %v, equal to the original: %v", err, bytes.Equal(back, src))
	}
}

func TestInputURL(t *testing.T) {
	tests := []struct {
		file, input, want, err string
	}{
		{"inputs-set", "nixpkgs", url2605, ""},
		{"inputs-set", "flake-utils", "github:numtide/flake-utils", ""},
		{"input-set", "home-manager", "github:nix-community/home-manager/release-26.05", ""},
		{"escaped", "nixpkgs", url2605, ""},
		{"query-ref", "nixpkgs", "github:NixOS/nixpkgs?ref=nixos-26.05-small&shallow=1", ""},
		{"commented-out", "nixpkgs", "", `reading the url of input "nixpkgs": the flake has no input "nixpkgs"; a comment on line 2 mentions "inputs.nixpkgs"`},
		{"inputs-set", "stable", "", `reading the url of input "stable": the flake has no input "stable"; a comment on line 8 mentions "stable.url"`},
		{"follows", "nixpkgs", "", `reading the url of input "nixpkgs": the input has no url attribute`},
	}
	for _, tt := range tests {
		got, err := InputURL(readInput(t, tt.file), tt.input)
		gotErr := ""
		if err != nil {
			gotErr = err.Error()
		}
		if got != tt.want || gotErr != tt.err {
			t.Errorf("InputURL(%s, %q) = %q, %q; want %q, %q", tt.file, tt.input, got, gotErr, tt.want, tt.err)
		}
	}
}

// TestSetInputURLEncoding checks URLs that need escaping in a "…"
// string, and that setting the same URL changes nothing.
func TestSetInputURLEncoding(t *testing.T) {
	src := readInput(t, "escaped")
	for _, u := range []string{`a"b\c`, "${x}", "$${x}", "$", "a$", "tab\tnew\nline\r", "é", ""} {
		out, err := SetInputURL(src, "nixpkgs", url2605, u)
		if err != nil {
			t.Errorf("setting %q: %v", u, err)
			continue
		}
		checkOnlyLiteral(t, src, out, "nixpkgs", u)
	}
	out, err := SetInputURL(src, "nixpkgs", url2605, url2605)
	if err != nil || !bytes.Equal(out, src) {
		t.Errorf("setting the same URL: %v; unchanged: %v", err, bytes.Equal(out, src))
	}
}
