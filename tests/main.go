// Tests runs nixlayer's Dagger functions in a real Dagger engine, against
// the test universe, as a user's call would: each function here calls one
// of the module's and checks what it gives. All runs them all:
//
//	dagger call -m tests --universe testdata/universe all
//
// The universe's Debian packages are git-ignored: testdata/universe/regen.sh
// (which .ci/setup runs) must have fetched them first.
package main

import (
	"context"
	"errors"
	"fmt"
	"regexp"
	"strings"

	"github.com/nixlayer/nixlayer/tests/internal/dagger"
)

// Tests runs nixlayer's functions against the test universe.
type Tests struct {
	// The test universe.
	//
	// +private
	Universe *dagger.Directory
}

// New returns the tests for a test universe.
func New(
	// The test universe, nixlayer's offline stand-in for nixpkgs, with the
	// Debian packages that regen.sh fetches.
	//
	// +defaultPath="/testdata/universe"
	universe *dagger.Directory,
) *Tests {
	return &Tests{Universe: universe}
}

// nixlayer is the module under test, building from the universe.
func (t *Tests) nixlayer() *dagger.Nixlayer {
	return dag.Nixlayer(dagger.NixlayerOpts{Nixpkgs: t.Universe})
}

// All runs every test and reports each one that failed.
func (t *Tests) All(ctx context.Context) error {
	tests := []struct {
		name string
		run  func(context.Context) error
	}{
		{"sets", t.Sets},
		{"closure", t.Closure},
		{"runtime", t.Runtime},
		{"devcontainer", t.Devcontainer},
		{"bad-set", t.BadSet},
	}
	var errs []error
	for _, test := range tests {
		if err := test.run(ctx); err != nil {
			errs = append(errs, fmt.Errorf("%s: %w", test.name, err))
		}
	}
	return errors.Join(errs...)
}

// Sets checks that the sets table lists the sets a devcontainer and a
// Python runtime image are made of, one row each.
func (t *Tests) Sets(ctx context.Context) error {
	out, err := t.nixlayer().Sets(ctx)
	if err != nil {
		return fmt.Errorf("listing the sets: %w", err)
	}
	for _, name := range []string{"base", "vscodeCompat", "devTools", "nixTools", "python"} {
		row := regexp.MustCompile(`(?m)^\s*` + regexp.QuoteMeta(name) + `\s`)
		if !row.MatchString(out) {
			return fmt.Errorf("the sets table has no row for %s:\n%s", name, out)
		}
	}
	return nil
}

// Closure checks the closure report of the sets base and python: Python's
// store path among the paths, then the count and total size.
func (t *Tests) Closure(ctx context.Context) error {
	out, err := t.nixlayer().Closure(ctx, "base,python")
	if err != nil {
		return fmt.Errorf("reporting the closure: %w", err)
	}
	lines := strings.Split(strings.TrimSpace(out), "\n")
	if !regexp.MustCompile(`^[1-9][0-9]* paths, `).MatchString(lines[len(lines)-1]) {
		return fmt.Errorf("the closure report does not end with the number of paths and their size:\n%s", out)
	}
	if !strings.Contains(out, "/nix/store/") || !strings.Contains(out, "-python3-") {
		return fmt.Errorf("the closure report has no Python store path:\n%s", out)
	}
	return nil
}

// Runtime checks a runtime image of the sets base and python: it runs as
// uid 1000, and its Python runs.
func (t *Tests) Runtime(ctx context.Context) error {
	img := t.nixlayer().Runtime(dagger.NixlayerRuntimeOpts{Sets: "base,python"})
	if err := expect(ctx, img, "1000", "id", "-u"); err != nil {
		return err
	}
	return expect(ctx, img, "3", "python3", "-c", "import sys; print(sys.version_info.major)")
}

// Devcontainer checks a devcontainer of its default sets: it runs as
// vscode, and sudo gives vscode root without a password.
func (t *Tests) Devcontainer(ctx context.Context) error {
	img := t.nixlayer().Devcontainer()
	if err := expect(ctx, img, "vscode", "id", "-un"); err != nil {
		return err
	}
	return expect(ctx, img, "0", "sudo", "-n", "id", "-u")
}

// BadSet checks that a misspelt set fails closure and runtime with the
// command line's one-line error, which suggests the set meant.
func (t *Tests) BadSet(ctx context.Context) error {
	_, closureErr := t.nixlayer().Closure(ctx, "pyton")
	if err := oneLineError(closureErr, "closure"); err != nil {
		return err
	}
	_, runtimeErr := t.nixlayer().Runtime(dagger.NixlayerRuntimeOpts{Sets: "pyton"}).Sync(ctx)
	return oneLineError(runtimeErr, "runtime")
}

// badSetError is the start of the error for the set "pyton".
const badSetError = `unknown set "pyton" (did you mean "python"?); known sets: base, `

// oneLineError checks that err, from fn called with the set "pyton", has
// the error for that set on one line, with the list of known sets.
func oneLineError(err error, fn string) error {
	if err == nil {
		return fmt.Errorf("%s --sets pyton succeeded", fn)
	}
	for _, line := range strings.Split(err.Error(), "\n") {
		if strings.Contains(line, badSetError) {
			return nil
		}
	}
	return fmt.Errorf("%s --sets pyton: the error has no line with %q: %w", fn, badSetError, err)
}

// expect runs args in img and checks that their standard output, without
// surrounding white space, is want.
func expect(ctx context.Context, img *dagger.Container, want string, args ...string) error {
	out, err := img.WithExec(args).Stdout(ctx)
	if err != nil {
		return fmt.Errorf("running %s: %w", strings.Join(args, " "), err)
	}
	if got := strings.TrimSpace(out); got != want {
		return fmt.Errorf("%s printed %q, want %q", strings.Join(args, " "), got, want)
	}
	return nil
}
