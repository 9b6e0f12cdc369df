package main

import (
	"fmt"
	"io"
	"reflect"
	"strings"
	"testing"

	"github.com/nixlayer/nixlayer/internal/container"
	"github.com/nixlayer/nixlayer/internal/container/containertest"
	"github.com/nixlayer/nixlayer/internal/kind"
	"github.com/nixlayer/nixlayer/internal/platform"
	"github.com/nixlayer/nixlayer/internal/scanner"
)

// fullInvocations are one invocation of each command with every option
// set, so that every flag the module can pass is parsed.
func fullInvocations(t *testing.T) []container.Invocation {
	t.Helper()
	p, err := platform.Parse("linux/arm64")
	if err != nil {
		t.Fatal(err)
	}
	sel := container.Selection{Sets: []string{"base", "python"}, Packages: []string{"htop", "-jq"}, ProjectFile: "ci/nixlayer.yaml",
		Overlays: []string{"ci/overlays/cve.nix"}, Nixpkgs: true, Platform: p}
	return []container.Invocation{
		container.Build{Kind: kind.Devcontainer, Selection: sel, Layout: true, Base: true, BaseName: "debian:12"},
		container.Closure{Selection: sel, JSON: true},
		container.Inventory{Selection: sel},
		container.Index{Kind: kind.Runtime, Platform: p, Layouts: 2},
		container.Publish{Platform: p, Layouts: 2, Address: "localhost:5000/app:1", Tags: []string{"latest", "1"}, Username: "octocat"},
		container.Update{Platform: p, BumpRelease: true, To: strings.Repeat("ab", 20), GitHubToken: true, Scan: true, ScanDatabase: true,
			FailIfNewVulns: true, FailOn: scanner.Critical},
	}
}

// TestInvocationsParse parses every command line that the Dagger module
// plans for its helper (the plan golden's invocations, and one of each
// command with every option) with the CLI's own command tree, as the
// helper would, without running it: the command must exist, every flag
// must be one of the command's, set, and the positional arguments must be
// what the command takes. A flag renamed on either side fails it.
func TestInvocationsParse(t *testing.T) {
	invs := containertest.Invocations(t)
	for _, inv := range fullInvocations(t) {
		invs[fmt.Sprintf("every option of %T", inv)] = inv
	}
	for name, inv := range invs {
		argv := inv.Args()
		if len(argv) < 2 || argv[0] != container.HelperPath {
			t.Errorf("%s: %q does not run the helper", name, argv)
			continue
		}
		root := newRoot(io.Discard, io.Discard)
		cmd, rest, err := root.Find(argv[1:])
		if err != nil || cmd == root || cmd.Name() != argv[1] {
			t.Errorf("%s: %q names no command of nixlayer's (%v)", name, argv, err)
			continue
		}
		if err := cmd.ParseFlags(rest); err != nil {
			t.Errorf("%s: nixlayer %s rejects %q: %v", name, cmd.Name(), rest, err)
			continue
		}
		if err := cmd.ValidateArgs(cmd.Flags().Args()); err != nil {
			t.Errorf("%s: nixlayer %s rejects the arguments %q: %v", name, cmd.Name(), cmd.Flags().Args(), err)
		}
		for _, a := range rest {
			if !strings.HasPrefix(a, "--") {
				continue // a positional argument
			}
			flag, _, _ := strings.Cut(a[2:], "=")
			if f := cmd.Flags().Lookup(flag); f == nil || !f.Changed {
				t.Errorf("%s: %s did not set --%s of nixlayer %s", name, a, flag, cmd.Name())
			}
		}
	}
}

// TestInvocationsFull checks that fullInvocations set every option of
// every command, so that a new option is parsed too.
func TestInvocationsFull(t *testing.T) {
	var zero func(path string, v reflect.Value)
	zero = func(path string, v reflect.Value) {
		for i := range v.NumField() {
			f, field := v.Field(i), v.Type().Field(i)
			switch {
			case field.Anonymous && f.Kind() == reflect.Struct:
				zero(path+"."+field.Name, f)
			case f.IsZero():
				t.Errorf("%s.%s is not set: set it, so that its flag is parsed", path, field.Name)
			}
		}
	}
	for _, inv := range fullInvocations(t) {
		zero(reflect.TypeOf(inv).Name(), reflect.ValueOf(inv))
	}
}
