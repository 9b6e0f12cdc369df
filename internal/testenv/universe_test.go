package testenv

import (
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/nixlayer/nixlayer/internal/platform"
)

// TestCheckDebs checks the universe's check of itself: every package of
// its manifests present with its sha256, or one line naming the first
// that is not.
func TestCheckDebs(t *testing.T) {
	dir := t.TempDir()
	s := universeSystemEntry{Manifest: "manifest.json", Debs: "debs"}
	write := func(name, data string) {
		p := filepath.Join(dir, name)
		os.MkdirAll(filepath.Dir(p), 0o755)
		if err := os.WriteFile(p, []byte(data), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	// sha256("a") and sha256("b").
	write("manifest.json", `{"a": {"file": "a_1_all.deb", "sha256": "ca978112ca1bbdcafac231b39a23dc4da786eff8147c4e72b9807785afee48bb"},
		"b": {"file": "b_1_all.deb", "sha256": "3e23e8160039594a33894f6564e1b1348bbd7a0088d42c4acb73eeaed59c009d"}}`)
	write("debs/a_1_all.deb", "a")
	if err := checkDebs(dir, s); err == nil || err.Error() != filepath.Join("debs", "b_1_all.deb")+" is missing" {
		t.Errorf("a missing package: %v", err)
	}
	write("debs/b_1_all.deb", "truncated")
	if err := checkDebs(dir, s); err == nil || !strings.Contains(err.Error(), "b_1_all.deb has sha256") {
		t.Errorf("a damaged package: %v", err)
	}
	write("debs/b_1_all.deb", "b")
	if err := checkDebs(dir, s); err != nil {
		t.Errorf("a complete universe: %v", err)
	}
	// This machine's universe, as every test that builds checks it.
	if _, err := universeSystem(Universe(t), platform.HostSystem()); err != nil {
		t.Errorf("the test universe: %v", err)
	}
}

// TestUniverseChecksItself evaluates a copy of the universe that lacks one
// of its packages: Nix fails in one line that says to run regen.sh, before
// any package reads a .deb.
func TestUniverseChecksItself(t *testing.T) {
	universe := Universe(t)
	store, env := NixEnv(t)
	copied := filepath.Join(t.TempDir(), "universe")
	// Hard links: the copy costs no space, and removing one leaves the
	// universe as it is.
	if out, err := exec.Command("cp", "-al", universe, copied).CombinedOutput(); err != nil {
		t.Skipf("skipping: cannot link a copy of the universe: %v\n%s", err, out)
	}
	s, err := universeSystem(universe, platform.HostSystem())
	if err != nil {
		t.Fatal(err)
	}
	debs, err := filepath.Glob(filepath.Join(copied, s.Debs, "libnghttp2*.deb"))
	if err != nil || len(debs) == 0 {
		t.Fatalf("no libnghttp2 package in the universe (%v)", err)
	}
	if err := os.Remove(debs[0]); err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command("nix", "--extra-experimental-features", "nix-command flakes", "--store", store,
		"eval", "--raw", "path:"+copied+"#legacyPackages."+platform.HostSystem()+".curl.drvPath")
	cmd.Env = append(os.Environ(), env...)
	out, err := cmd.CombinedOutput()
	if err == nil {
		t.Fatalf("the universe without %s evaluated: %s", filepath.Base(debs[0]), out)
	}
	if !strings.Contains(string(out), "lacks 1 of its "+s.Debs+"/ packages (libnghttp2") || !strings.Contains(string(out), "run testdata/universe/regen.sh") {
		t.Errorf("the universe without %s: %s", filepath.Base(debs[0]), out)
	}
}

// TestPipelinesNeverCutShort checks the repository's bash scripts that
// set pipefail for a pipe into grep -q, which exits at its first match:
// the writer before it may then die of SIGPIPE, the pipeline fails, and
// the script takes a match for none (regen.sh deleted valid packages so,
// about once in 4,000 checks).
func TestPipelinesNeverCutShort(t *testing.T) {
	root := filepath.Join(universeDir(), "..", "..")
	out, err := exec.Command("git", "-C", root, "ls-files").Output()
	if err != nil {
		t.Skipf("skipping: not a git checkout: %v", err)
	}
	early := regexp.MustCompile(`\|\s*grep\s+(-\w*q|--quiet)`)
	scripts := 0
	for _, name := range strings.Fields(string(out)) {
		data, err := os.ReadFile(filepath.Join(root, name))
		if err != nil || !strings.HasPrefix(string(data), "#!/usr/bin/env bash") && !strings.HasPrefix(string(data), "#!/bin/bash") {
			continue
		}
		scripts++
		if !strings.Contains(string(data), "pipefail") {
			continue
		}
		for i, line := range strings.Split(string(data), "\n") {
			if early.MatchString(line) && !strings.HasPrefix(strings.TrimSpace(line), "#") {
				t.Errorf("%s:%d: a pipe into grep -q under pipefail: %s", name, i+1, strings.TrimSpace(line))
			}
		}
	}
	if scripts < 3 {
		t.Errorf("found %d bash scripts, want .ci/setup, .ci/run, scripts/test and regen.sh among them", scripts)
	}
}
