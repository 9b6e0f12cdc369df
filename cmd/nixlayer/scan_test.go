package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// fakeScanner is a nixlayer-scan that prints its arguments, one per line,
// and exits with the status in FAKE_SCAN_EXIT.
func fakeScanner(t *testing.T) {
	t.Helper()
	bin := filepath.Join(t.TempDir(), "nixlayer-scan")
	script := "#!/bin/sh\nfor a in \"$@\"; do echo \"$a\"; done\n[ -z \"$FAKE_SCAN_MSG\" ] || echo \"$FAKE_SCAN_MSG\" >&2\nexit ${FAKE_SCAN_EXIT:-0}\n"
	if err := os.WriteFile(bin, []byte(script), 0o755); err != nil {
		t.Fatal(err)
	}
	t.Setenv(ScannerEnv, bin)
}

// TestScanArguments checks what nixlayer scan gives the scanner, in
// order, and that it exits as the scanner does, without a line of its own.
func TestScanArguments(t *testing.T) {
	fakeScanner(t)
	t.Setenv("NIXLAYER_CACHE", "")
	image := filepath.Join(t.TempDir(), "runtime.tar")
	if err := os.WriteFile(image, nil, 0o644); err != nil {
		t.Fatal(err)
	}
	code, stdout, stderr := cli(t, "scan", image, "--fail-on", "critical", "--db", "/osv", "--format", "json", "--format", "sarif", "-o", "results.sarif", "--exit-zero")
	want := []string{"--fail-on=CRITICAL", "--exit-zero", "--db=/osv", "--format=json", "--format=sarif", "-o", "results.sarif", image}
	if code != exitOK || stdout != strings.Join(want, "\n")+"\n" || stderr != "" {
		t.Errorf("exit status %d, the scanner got %q (stderr %q); want %q", code, stdout, stderr, want)
	}
	for _, status := range []string{"1", "2"} {
		t.Setenv("FAKE_SCAN_EXIT", status)
		t.Setenv("FAKE_SCAN_MSG", "nixlayer-scan: 2 findings at or above HIGH")
		code, _, stderr := cli(t, "scan", image)
		if want := status[0] - '0'; code != int(want) || stderr != "nixlayer-scan: 2 findings at or above HIGH\n" {
			t.Errorf("a scanner exiting %s: exit status %d, stderr %q", status, code, stderr)
		}
	}
}

func TestScanBadInput(t *testing.T) {
	t.Chdir(t.TempDir())
	fakeScanner(t)
	for _, tt := range []struct {
		args []string
		want string
	}{
		{[]string{"scan"}, "nixlayer: nixlayer scan needs an image (an archive or an OCI layout directory) or --kind"},
		{[]string{"scan", "x.tar", "--kind", "runtime"}, "nixlayer: give an image to scan, or --kind to build one, not both"},
		{[]string{"scan", "missing.tar"}, "nixlayer: scanning missing.tar: no such file or directory"},
		{[]string{"scan", "x.tar", "-o", "f"}, "nixlayer: invalid argument \"f\" for \"-o, --output\" flag: -o f has no --format before it"},
		{[]string{"scan", "--kind", "vm"}, `nixlayer: unknown kind of image "vm"; nixlayer builds devcontainer and runtime`},
		{[]string{"scan", "x.tar", "--fail-on", "severe"}, `nixlayer: --fail-on: unknown level "severe": want one of NONE|LOW|MEDIUM|HIGH|CRITICAL`},
		{[]string{"scan", "x.tar", "--format", "html"}, `nixlayer: invalid argument "html" for "--format" flag: unknown format "html": want one of json|sarif|markdown|cyclonedx`},
	} {
		code, stdout, stderr := cli(t, tt.args...)
		if code != exitBadInput || stdout != "" || stderr != tt.want+"\n" {
			t.Errorf("%v: exit status %d, stderr %q; want 2 and %q", tt.args, code, stderr, tt.want)
		}
	}
	t.Setenv(ScannerEnv, "")
	t.Setenv("PATH", t.TempDir())
	code, _, stderr := cli(t, "scan", "x.tar")
	if code != exitBadInput || !strings.Contains(stderr, "nixlayer-scan, which is not installed: build it with") {
		t.Errorf("no scanner: exit status %d, stderr %q", code, stderr)
	}
}
