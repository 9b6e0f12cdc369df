package main

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/nixlayer/nixlayer/internal/flakeinput"
	"github.com/nixlayer/nixlayer/internal/lock"
	"github.com/nixlayer/nixlayer/internal/nix"
	"github.com/nixlayer/nixlayer/internal/testenv"
	"github.com/nixlayer/nixlayer/internal/update/updatetest"
)

// updateEnv points nixlayer at the shared test store, with a cache of the
// test's own, and returns a flake locked at the universe's first revision.
func updateEnv(t *testing.T) (*updatetest.Universe, string) {
	t.Helper()
	store, env := testenv.SharedNixEnv(t)
	for _, kv := range env {
		k, v, _ := strings.Cut(kv, "=")
		t.Setenv(k, v)
	}
	t.Setenv("NIXLAYER_STORE", store)
	t.Setenv("NIXLAYER_CACHE", t.TempDir())
	t.Setenv("GITHUB_TOKEN", "")
	u := updatetest.NewUniverse(t)
	return u, updatetest.Flake(t, &nix.Driver{Store: store, Env: env}, u)
}

// flakeFiles reads the flake directory's flake.nix and flake.lock.
func flakeFiles(t *testing.T, dir string) map[string]string {
	t.Helper()
	out := map[string]string{}
	for _, name := range []string{"flake.nix", "flake.lock"} {
		data, err := os.ReadFile(filepath.Join(dir, name))
		if err != nil {
			t.Fatal(err)
		}
		out[name] = string(data)
	}
	return out
}

// TestUpdateNixpkgs runs nixlayer update-nixpkgs on a flake locked at the
// universe's first revision: it moves the lock to the second, writes both
// reports, and then finds nothing to move.
func TestUpdateNixpkgs(t *testing.T) {
	u, dir := updateEnv(t)
	before := flakeFiles(t, dir)
	out := t.TempDir()
	md, js := filepath.Join(out, "CHANGES.md"), filepath.Join(out, "changes.json")

	start := time.Now()
	code, stdout, stderr := cli(t, "update-nixpkgs", "--flake", dir, "--report", md, "--json", js)
	if code != exitOK {
		t.Fatalf("exit status %d: %s", code, stderr)
	}
	t.Logf("nixlayer update-nixpkgs took %s", time.Since(start).Round(time.Millisecond))
	after := flakeFiles(t, dir)
	l, err := lock.Parse([]byte(after["flake.lock"]))
	if err != nil {
		t.Fatal(err)
	}
	if pin, err := l.Input("nixpkgs"); err != nil || pin.Rev != u.Rev2 || after["flake.nix"] != before["flake.nix"] {
		t.Errorf("the new pin %+v (%v), want %s, with flake.nix as it was", pin, err, u.Rev2)
	}
	if !strings.HasPrefix(stdout, "nixpkgs: nixos-26.05-small "+u.Rev1[:8]+" (2026-07-08) → nixos-26.05-small "+u.Rev2[:8]+" (2026-07-15)\nversions: 4: 1 major, 1 minor, 2 patch\n") {
		t.Errorf("the summary:\n%s", stdout)
	}
	body, err := os.ReadFile(md)
	if err != nil || !strings.Contains(string(body), "| `procps` | procps | 1.1.1w | 1.1.1x | patch |") {
		t.Errorf("CHANGES.md (%v):\n%s", err, body)
	}
	if !strings.Contains(stderr, "nixlayer: locking nixpkgs: nix flake lock --update-input nixpkgs") {
		t.Errorf("the progress does not show the lock command:\n%s", stderr)
	}

	// Nothing moves the second time; without --report and --json the
	// markdown goes to standard output.
	code, stdout, stderr = cli(t, "update-nixpkgs", "--flake", dir, "-q")
	if code != exitOK || !strings.HasPrefix(stdout, "## nixpkgs is already at the newest revision\n") || stderr != "" {
		t.Errorf("the second run: exit status %d, stdout %q, stderr %q", code, stdout, stderr)
	}
	if diff := cmp.Diff(after, flakeFiles(t, dir)); diff != "" {
		t.Errorf("the second run changed the flake (-before +after):\n%s", diff)
	}

	// --to locks a given commit, back to the first revision here, and the
	// lock still follows the branch, so later commands keep the commit.
	code, stdout, stderr = cli(t, "update-nixpkgs", "--flake", dir, "-q", "--to", u.Rev1, "--json", js)
	if code != exitOK || !strings.Contains(stdout, "versions: 4: 4 downgrade\n") {
		t.Errorf("--to %s: exit status %d, stdout %q, stderr %q", u.Rev1, code, stdout, stderr)
	}
	back := flakeFiles(t, dir)
	if back["flake.lock"] != before["flake.lock"] {
		t.Errorf("--to %s: the lock is not the first revision's (-want +got):\n%s", u.Rev1, cmp.Diff(before["flake.lock"], back["flake.lock"]))
	}
}

// TestUpdateNixpkgsErrors checks that bad input and failures give one
// line, the right exit status, and both files as they were.
func TestUpdateNixpkgsErrors(t *testing.T) {
	u, dir := updateEnv(t)
	limited := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("X-RateLimit-Remaining", "0")
		w.WriteHeader(http.StatusForbidden)
		fmt.Fprint(w, `{"message": "API rate limit exceeded"}`)
	}))
	defer limited.Close()
	good := flakeFiles(t, dir)
	unknown := strings.Repeat("0", 40)
	// fakeScanner stands in for nixlayer-scan, failing as it does: one
	// line on standard error, exit status 2.
	fakeScanner := filepath.Join(t.TempDir(), "nixlayer-scan")
	writeFile(t, filepath.Dir(fakeScanner), filepath.Base(fakeScanner), "#!/bin/sh\necho 'nixlayer-scan: a warning' >&2\necho 'nixlayer-scan: the planted failure' >&2\nexit 2\n")
	if err := os.Chmod(fakeScanner, 0o755); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name string
		lock string // flake.lock, when not the good one
		args []string
		env  map[string]string
		code int
		want string // the start of the one line
	}{
		{name: "a malformed lock", lock: `{"nodes": {`, code: exitBadInput,
			want: "nixlayer: " + filepath.Join(dir, "flake.lock") + ": parsing flake.lock: at 1:12: unexpected end of JSON input"},
		{name: "a lock without nixpkgs", lock: strings.Replace(good["flake.lock"], `"nixpkgs": "nixpkgs"`, `"pkgs": "nixpkgs"`, 1), code: exitBadInput,
			want: "nixlayer: " + filepath.Join(dir, "flake.lock") + `: looking up input "nixpkgs" in flake.lock: the root has no such input; its inputs are pkgs`},
		{name: "an unknown --to revision", args: []string{"--to", unknown}, code: exitBadInput,
			want: "nixlayer: locking nixpkgs at --to " + unknown + ": "},
		{name: "a --to that is not a commit", args: []string{"--to", "nixos-26.11"}, code: exitBadInput,
			want: `nixlayer: --to nixos-26.11: "nixos-26.11" is not a full commit hash (40 hexadecimal digits)`},
		{name: "--to and --bump-release", args: []string{"--to", u.Rev2, "--bump-release"}, code: exitBadInput,
			want: "nixlayer: give --to or --bump-release, not both"},
		{name: "an unreachable API", args: []string{"--bump-release", "--github-api", "http://127.0.0.1:1"}, code: exitFailure,
			want: "nixlayer: listing the release branches of NixOS/nixpkgs on 127.0.0.1:1: 127.0.0.1:1 refused the connection"},
		{name: "a rate-limited API", args: []string{"--bump-release", "--github-api", limited.URL}, code: exitFailure,
			want: "nixlayer: listing the release branches of NixOS/nixpkgs on " + strings.TrimPrefix(limited.URL, "http://") + ": " + strings.TrimPrefix(limited.URL, "http://") + " rate-limited the request (403); set GITHUB_TOKEN for a higher limit"},
		{name: "the gate without a scanner", args: []string{"--fail-if-new-vulns"}, env: map[string]string{"PATH": t.TempDir()}, code: exitBadInput,
			want: "nixlayer: scanning runs nixlayer-scan, which is not installed"},
		{name: "the gate without the scan", args: []string{"--fail-if-new-vulns", "--no-scan"}, code: exitBadInput,
			want: "nixlayer: --fail-if-new-vulns needs the vulnerability scan that --no-scan turns off"},
		{name: "an unknown --fail-on", args: []string{"--fail-if-new-vulns", "--fail-on", "severe"}, code: exitBadInput,
			want: `nixlayer: --fail-on: unknown level "severe": want one of NONE|LOW|MEDIUM|HIGH|CRITICAL`},
		{name: "a missing --db", args: []string{"--db", filepath.Join(dir, "osv")}, env: map[string]string{ScannerEnv: fakeScanner}, code: exitBadInput,
			want: "nixlayer: --db " + filepath.Join(dir, "osv") + ": not a directory"},
		{name: "a failing scanner", env: map[string]string{ScannerEnv: fakeScanner}, code: exitFailure,
			want: "nixlayer: scanning the old pin for vulnerabilities: running " + fakeScanner + ": nixlayer-scan: the planted failure"},
		{name: "no flake directory", args: []string{"--flake", filepath.Join(dir, "nope")}, code: exitBadInput,
			want: "nixlayer: --flake " + filepath.Join(dir, "nope") + ": not a directory"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			files := map[string]string{"flake.nix": good["flake.nix"], "flake.lock": good["flake.lock"]}
			if tt.lock != "" {
				files["flake.lock"] = tt.lock
			}
			for name, data := range files {
				writeFile(t, dir, name, data)
			}
			for k, v := range tt.env {
				t.Setenv(k, v)
			}
			out := t.TempDir()
			args := append([]string{"update-nixpkgs", "--flake", dir, "-q", "--report", filepath.Join(out, "CHANGES.md"), "--json", filepath.Join(out, "changes.json")}, tt.args...)
			code, stdout, stderr := cli(t, args...)
			t.Log(strings.TrimSpace(stderr))
			if code != tt.code || !strings.HasPrefix(stderr, tt.want) || strings.Count(stderr, "\n") != 1 || stdout != "" {
				t.Errorf("exit status %d, stdout %q, stderr %q; want %d and one line starting %q", code, stdout, stderr, tt.code, tt.want)
			}
			if diff := cmp.Diff(files, flakeFiles(t, dir)); diff != "" {
				t.Errorf("the flake changed (-before +after):\n%s", diff)
			}
			if entries, _ := os.ReadDir(out); len(entries) != 0 {
				t.Errorf("reports were written: %v", entries)
			}
		})
	}
}

// TestUpdateNixpkgsUnreachable gives the flake an input on a host that
// never resolves: the lock cannot move, which is a failure (exit 1) in one
// line, with both files as they were.
func TestUpdateNixpkgsUnreachable(t *testing.T) {
	store, env := testenv.SharedNixEnv(t)
	for _, kv := range env {
		k, v, _ := strings.Cut(kv, "=")
		t.Setenv(k, v)
	}
	t.Setenv("NIXLAYER_STORE", store)
	t.Setenv("NIXLAYER_CACHE", t.TempDir())
	dir := filepath.Join(t.TempDir(), "nix")
	if err := os.CopyFS(dir, os.DirFS(filepath.Join("..", "..", "nix"))); err != nil {
		t.Fatal(err)
	}
	files := flakeFiles(t, dir)
	url, err := flakeinput.InputURL([]byte(files["flake.nix"]), "nixpkgs")
	if err != nil {
		t.Fatal(err)
	}
	data, err := flakeinput.SetInputURL([]byte(files["flake.nix"]), "nixpkgs", url, "https://nixpkgs.invalid/nixos-26.05-small.tar.gz")
	if err != nil {
		t.Fatal(err)
	}
	writeFile(t, dir, "flake.nix", string(data))
	files = flakeFiles(t, dir)
	code, stdout, stderr := cli(t, "update-nixpkgs", "--flake", dir, "-q")
	want := "nixlayer: locking nixpkgs: cannot reach nixpkgs.invalid ("
	if code != exitFailure || !strings.HasPrefix(stderr, want) || strings.Count(stderr, "\n") != 1 || stdout != "" {
		t.Errorf("exit status %d, stdout %q, stderr %q; want 1 and one line starting %q", code, stdout, stderr, want)
	}
	if diff := cmp.Diff(files, flakeFiles(t, dir)); diff != "" {
		t.Errorf("the flake changed (-before +after):\n%s", diff)
	}
}
