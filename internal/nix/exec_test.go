package nix

import (
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
)

// fakeNixScript stands in for nix: it records its arguments, NUL-separated,
// in $FAKE_ARGS, prints $FAKE_STDERR (with escapes) and $FAKE_STDOUT, then
// runs $FAKE_RUN (shell code, if any) and exits with $FAKE_EXIT.
const fakeNixScript = `#!/bin/sh
for a in "$@"; do printf '%s\0' "$a"; done > "$FAKE_ARGS"
printf '%b' "$FAKE_STDERR" >&2
printf '%s' "$FAKE_STDOUT"
eval "$FAKE_RUN"
exit "${FAKE_EXIT:-0}"
`

// fakeNix returns a Driver running fakeNixScript and the file where the
// script records its arguments. env sets FAKE_* variables.
func fakeNix(t *testing.T, env ...string) (*Driver, string) {
	t.Helper()
	if runtime.GOOS == "windows" {
		t.Skip("the fake nix is a shell script")
	}
	dir := t.TempDir()
	bin := filepath.Join(dir, "nix")
	if err := os.WriteFile(bin, []byte(fakeNixScript), 0o755); err != nil {
		t.Fatal(err)
	}
	argsFile := filepath.Join(dir, "args")
	return &Driver{Bin: bin, Env: append([]string{"FAKE_ARGS=" + argsFile}, env...)}, argsFile
}

func readArgs(t *testing.T, file string) []string {
	t.Helper()
	data, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	return strings.Split(strings.TrimSuffix(string(data), "\x00"), "\x00")
}

var globals = []string{"--extra-experimental-features", "nix-command flakes", "--log-format", "internal-json", "--store", "/s/root", "--option", "max-jobs", "2"}

func configure(d *Driver) {
	d.Store = "/s/root"
	d.Args = []string{"--option", "max-jobs", "2"}
	d.FlakeArgs = []string{"--override-input", "nixpkgs", "path:/x"}
}

func TestBuildCommandLine(t *testing.T) {
	out := `[{"drvPath":"/nix/store/yp5iaah1ximzzfrw84r2dmmkva4w2mp6-hello.drv","outputs":{"out":"/nix/store/hadd2kwvaik7qmb77gf5f0anf4yzi7xs-hello"}}]`
	d, argsFile := fakeNix(t, "FAKE_STDOUT="+out)
	configure(d)
	got, err := d.Build(t.Context(), []string{"path:/f#a", "-weird"}, "--impure")
	if err != nil {
		t.Fatal(err)
	}
	want := []BuildResult{{DrvPath: "/nix/store/yp5iaah1ximzzfrw84r2dmmkva4w2mp6-hello.drv",
		Outputs: map[string]string{"out": "/nix/store/hadd2kwvaik7qmb77gf5f0anf4yzi7xs-hello"}}}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("Build (-want +got):\n%s", diff)
	}
	wantArgs := append(globals, "build", "--json", "--no-link", "--override-input", "nixpkgs", "path:/x", "--impure", "--", "path:/f#a", "-weird")
	if diff := cmp.Diff(wantArgs, readArgs(t, argsFile)); diff != "" {
		t.Errorf("argv (-want +got):\n%s", diff)
	}
}

func TestPathInfoCommandLine(t *testing.T) {
	data, err := os.ReadFile("testdata/pathinfo-nix2.8.json")
	if err != nil {
		t.Fatal(err)
	}
	d, argsFile := fakeNix(t, "FAKE_STDOUT="+string(data))
	configure(d)
	const app = "/nix/store/290rncx3gjw0mz8q66xqigk3f018iasd-app"
	c, err := d.PathInfo(t.Context(), app)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([]string{app}, c.Roots()); diff != "" {
		t.Errorf("Roots (-want +got):\n%s", diff)
	}
	// No FlakeArgs: they are not path-info's business.
	wantArgs := append(globals, "path-info", "--json", "--recursive", "--", app)
	if diff := cmp.Diff(wantArgs, readArgs(t, argsFile)); diff != "" {
		t.Errorf("argv (-want +got):\n%s", diff)
	}
}

func TestEvalCommandLine(t *testing.T) {
	d, argsFile := fakeNix(t, `FAKE_STDOUT={"a":[1,2]}`)
	configure(d)
	var got struct{ A []int }
	if err := d.Eval(t.Context(), "path:/f#x", &got, "--impure"); err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([]int{1, 2}, got.A); diff != "" {
		t.Errorf("decoded (-want +got):\n%s", diff)
	}
	wantArgs := append(globals, "eval", "--json", "--override-input", "nixpkgs", "path:/x", "--impure", "--", "path:/f#x")
	if diff := cmp.Diff(wantArgs, readArgs(t, argsFile)); diff != "" {
		t.Errorf("argv (-want +got):\n%s", diff)
	}

	d.FlakeArgs = nil
	if err := d.Eval(t.Context(), "", nil, "--expr", "1"); err != nil {
		t.Fatal(err)
	}
	wantArgs = append(globals, "eval", "--json", "--expr", "1")
	if diff := cmp.Diff(wantArgs, readArgs(t, argsFile)); diff != "" {
		t.Errorf("argv without installable (-want +got):\n%s", diff)
	}

	var n int
	err := d.Eval(t.Context(), "path:/f#x", &n)
	if err == nil || !strings.HasPrefix(err.Error(), "decoding nix eval output of path:/f#x: ") {
		t.Errorf("Eval into int: %v, want a decoding error", err)
	}
}

func TestNoArguments(t *testing.T) {
	d := &Driver{Bin: "/nonexistent/nix"}
	if _, err := d.Build(t.Context(), nil); err == nil || !strings.Contains(err.Error(), "no installables") {
		t.Errorf("Build(nil): %v", err)
	}
	if _, err := d.PathInfo(t.Context()); err == nil || !strings.Contains(err.Error(), "no paths") {
		t.Errorf("PathInfo(): %v", err)
	}
}

// failingWriter fails every write.
type failingWriter struct{ calls int }

func (w *failingWriter) Write([]byte) (int, error) { w.calls++; return 0, errors.New("broken") }

func TestProgress(t *testing.T) {
	d, _ := fakeNix(t, `FAKE_STDERR=building 'a'...\nbuilding 'b'...\n`, "FAKE_STDOUT=ok")
	var progress bytes.Buffer
	d.Progress = &progress
	out, err := d.Run(t.Context(), "build")
	if err != nil || string(out) != "ok" {
		t.Fatalf("Run = %q, %v", out, err)
	}
	if want := "building 'a'...\nbuilding 'b'...\n"; progress.String() != want {
		t.Errorf("progress %q, want %q", progress.String(), want)
	}

	// A broken progress writer neither fails the command nor is retried.
	fw := &failingWriter{}
	d.Progress = fw
	if out, err := d.Run(t.Context(), "build"); err != nil || string(out) != "ok" {
		t.Errorf("Run with failing progress = %q, %v", out, err)
	}
	if fw.calls != 1 {
		t.Errorf("failing writer called %d times, want 1", fw.calls)
	}
}

func TestRunFailure(t *testing.T) {
	stderr := strings.Repeat("noise line\n", 1000) + `\033[31;1merror:\033[0m undefined variable 'y'\n       at «string»:1:15:\n`
	d, _ := fakeNix(t, "FAKE_STDERR="+stderr, "FAKE_EXIT=3")
	_, err := d.Run(t.Context(), "eval", "--expr", "y")
	var ce *CommandError
	if !errors.As(err, &ce) {
		t.Fatalf("Run: %v, want a *CommandError", err)
	}
	if want := "nix eval: exit status 3: error: undefined variable 'y' | at «string»:1:15:"; err.Error() != want {
		t.Errorf("Error() = %q, want %q", err, want)
	}
	if ce.ExitCode != 3 || ce.Command != "eval" || len(ce.Stderr) > stderrTailSize || strings.Contains(ce.Stderr, "\x1b") {
		t.Errorf("CommandError{Command: %q, ExitCode: %d, len(Stderr): %d}; Stderr has ANSI: %v",
			ce.Command, ce.ExitCode, len(ce.Stderr), strings.Contains(ce.Stderr, "\x1b"))
	}
	if !strings.HasPrefix(ce.Stderr, "noise line\n") {
		t.Errorf("Stderr tail does not start at a line: %.30q", ce.Stderr)
	}
	if diff := cmp.Diff(append([]string{"--extra-experimental-features", "nix-command flakes", "--log-format", "internal-json"}, "eval", "--expr", "y"), ce.Args); diff != "" {
		t.Errorf("Args (-want +got):\n%s", diff)
	}
}

func TestRunCancel(t *testing.T) {
	tests := []struct {
		name, run string
		waitDelay time.Duration
	}{
		// nix stops on SIGTERM.
		{"terminated", "echo started >&2; sleep 30", 0},
		// nix ignores SIGTERM: it is killed after WaitDelay.
		{"killed", "trap '' TERM; echo started >&2; sleep 3", 100 * time.Millisecond},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			d, _ := fakeNix(t, "FAKE_RUN="+tt.run)
			d.WaitDelay = tt.waitDelay
			ctx, cancel := context.WithCancel(t.Context())
			defer cancel()
			d.Progress = &cancelOn{substr: "started", cancel: cancel}
			start := time.Now()
			_, err := d.Run(ctx, "build")
			if !errors.Is(err, context.Canceled) {
				t.Fatalf("Run: %v, want context.Canceled", err)
			}
			var ce *CommandError
			if !errors.As(err, &ce) || ce.ExitCode != -1 || !strings.HasPrefix(err.Error(), "nix build: context canceled") {
				t.Errorf("Run: %v (%#v), want a *CommandError for a killed nix", err, ce)
			}
			if elapsed := time.Since(start); elapsed > 2*time.Second {
				t.Errorf("Run took %v after cancellation", elapsed)
			}
		})
	}
}

// cancelOn calls cancel once substr has been written to it.
type cancelOn struct {
	substr string
	cancel context.CancelFunc
	buf    bytes.Buffer
}

func (c *cancelOn) Write(p []byte) (int, error) {
	c.buf.Write(p)
	if strings.Contains(c.buf.String(), c.substr) {
		c.cancel()
	}
	return len(p), nil
}

func TestRoot(t *testing.T) {
	const p = "/nix/store/hadd2kwvaik7qmb77gf5f0anf4yzi7xs-hello"
	tests := []struct{ store, root string }{
		{"", "/"},
		{"daemon", "/"},
		{"auto", "/"},
		{"ssh://host", "/"},
		{"file:///tmp/cache", "/"},
		{"/tmp/x/root", "/tmp/x/root"},
		{"/tmp/x/root/", "/tmp/x/root"},
		{"/tmp/x/root?read-only=true", "/tmp/x/root"},
		{"local?root=/tmp/x/root", "/tmp/x/root"},
		{"local?state=/s&root=/tmp/x/root", "/tmp/x/root"},
		{"local://?root=/tmp/x/root", "/tmp/x/root"},
		{"local", "/"},
		{"local?root=relative", "/"},
		{"/", "/"},
	}
	for _, tt := range tests {
		d := &Driver{Store: tt.store}
		r := d.Root()
		if got := r.Dir(); got != tt.root {
			t.Errorf("Store %q: Root().Dir() = %q, want %q", tt.store, got, tt.root)
		}
		want := p
		if tt.root != "/" {
			want = tt.root + p
		}
		if got := r.Path(p); got != want {
			t.Errorf("Store %q: Root().Path() = %q, want %q", tt.store, got, want)
		}
	}
}

// TestExec checks the seam of fakes: with Exec set, Run gives it the
// command line that would follow the binary, returns what it returns,
// and neither looks for nor runs Bin.
func TestExec(t *testing.T) {
	var got []string
	d := &Driver{Bin: "/nonexistent/nix", FlakeArgs: []string{"--override-input", "nixpkgs", "path:/x"}}
	configure(d)
	d.Exec = func(ctx context.Context, args []string) ([]byte, error) {
		got = args
		if args[len(args)-1] == "fail" {
			return nil, NewCommandError("eval", append([]string{"nix"}, args...), 1, "error: no\n")
		}
		return []byte("42\n"), nil
	}
	out, err := d.Run(t.Context(), d.EvalArgs("path:/f#a")...)
	if err != nil || string(out) != "42\n" {
		t.Fatalf("Run: %q, %v", out, err)
	}
	want := append(slices.Clone(globals), "eval", "--json", "--override-input", "nixpkgs", "path:/x", "--", "path:/f#a")
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("argv (-want +got):\n%s", diff)
	}
	_, err = d.Run(t.Context(), "eval", "fail")
	if ce, ok := errors.AsType[*CommandError](err); !ok || ce.ExitCode != 1 || ce.Stderr != "error: no\n" {
		t.Errorf("a failing command: %v", err)
	}
}
