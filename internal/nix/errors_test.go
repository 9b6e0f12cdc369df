package nix

import (
	"context"
	"errors"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// undefinedVariable is what Nix 2.8 prints for "nix eval --expr 'let x = 1; in y'".
const undefinedVariable = "error: undefined variable 'y'\n\n       at «string»:1:15:\n\n            1| let x = 1; in y\n             |               ^\n"

func TestCommandErrorMessage(t *testing.T) {
	exit1 := exitError(t, 1)
	tests := []struct {
		name string
		err  *CommandError
		want string
	}{
		{"error line and context", &CommandError{Command: "eval", ExitCode: 1, Err: exit1, Stderr: undefinedVariable},
			"nix eval: exit status 1: error: undefined variable 'y' | at «string»:1:15: | 1| let x = 1; in y"},
		{"last error line wins", &CommandError{Command: "build", ExitCode: 1, Err: exit1,
			Stderr: "warning: Git tree is dirty\nerror: first\nbuilding...\nerror: builder for '/nix/store/x.drv' failed with exit code 2\n"},
			"nix build: exit status 1: error: builder for '/nix/store/x.drv' failed with exit code 2"},
		{"no error line: last three lines", &CommandError{Command: "flake metadata", ExitCode: 1, Err: exit1,
			Stderr: "one\ntwo\n\n   three  \r\nfour\n--\n"},
			"nix flake metadata: exit status 1: two | three | four"},
		{"empty stderr", &CommandError{Command: "eval", ExitCode: 1, Err: exit1}, "nix eval: exit status 1"},
		{"no command, no Err", &CommandError{ExitCode: 2}, "nix: exit status 2"},
		{"cancelled", &CommandError{Command: "build", ExitCode: -1, Err: context.Canceled,
			Stderr: "building '/nix/store/x.drv'...\nerror: interrupted by the user\n"},
			"nix build: context canceled: error: interrupted by the user"},
		{"long line cut", &CommandError{Command: "eval", ExitCode: 1, Err: exit1, Stderr: "error: " + strings.Repeat("é", 400)},
			"nix eval: exit status 1: error: " + strings.Repeat("é", (summaryLineLen-len("error: "))/2) + "…"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := tt.err.Error()
			if got != tt.want {
				t.Errorf("Error() =\n%q\nwant\n%q", got, tt.want)
			}
			if strings.Contains(got, "\n") {
				t.Errorf("Error() has a newline: %q", got)
			}
		})
	}
}

// exitError returns the *exec.ExitError of a process that exits with code.
func exitError(t *testing.T, code int) error {
	t.Helper()
	err := exec.Command("/bin/sh", "-c", "exit "+string(rune('0'+code))).Run()
	var ee *exec.ExitError
	if !errors.As(err, &ee) {
		t.Fatalf("sh exit %d: %v", code, err)
	}
	return err
}

func TestTailBuffer(t *testing.T) {
	tests := []struct {
		name   string
		max    int
		writes []string
		want   string
	}{
		{"fits", 16, []string{"ab\n", "cd\n"}, "ab\ncd\n"},
		{"exactly full", 6, []string{"ab\n", "cd\n"}, "ab\ncd\n"},
		{"drops partial first line", 8, []string{"first\n", "second\n", "x\n"}, "x\n"},
		{"one big write", 8, []string{"aaaa\nbbbb\ncc\n"}, "cc\n"},
		{"big write after data", 5, []string{"z", "ab\ncd"}, "cd"},
		{"no newline left", 4, []string{"abcdefgh"}, "efgh"},
		{"strips ANSI", 64, []string{"\x1b[31;1merror:\x1b[0m boom\x1b]8;;http://x\x07link\x1b]8;;\x07\n"}, "error: boomlink\n"},
		{"partial UTF-8 replaced", 3, []string{"é", "ab"}, "\uFFFDab"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b := &tailBuffer{max: tt.max}
			for _, w := range tt.writes {
				if n, err := b.Write([]byte(w)); n != len(w) || err != nil {
					t.Fatalf("Write(%q) = %d, %v", w, n, err)
				}
			}
			if len(b.buf) > tt.max {
				t.Errorf("kept %d bytes, max %d", len(b.buf), tt.max)
			}
			if got := b.String(); got != tt.want {
				t.Errorf("String() = %q, want %q", got, tt.want)
			}
		})
	}
}

func TestNotInstalled(t *testing.T) {
	const hint = `: install it with "apt-get install nix-bin" or see https://nixos.org/download`
	t.Run("empty PATH", func(t *testing.T) {
		t.Setenv("PATH", "")
		_, err := (&Driver{}).Run(t.Context(), "--version")
		if !errors.Is(err, ErrNotInstalled) {
			t.Fatalf("Run: %v, want ErrNotInstalled", err)
		}
		if want := `nix is not installed (looked for "nix" in PATH)` + hint; err.Error() != want {
			t.Errorf("error %q, want %q", err, want)
		}
	})
	t.Run("missing Bin", func(t *testing.T) {
		bin := filepath.Join(t.TempDir(), "nix")
		err := (&Driver{Bin: bin}).Eval(t.Context(), "", nil, "--expr", "1")
		if !errors.Is(err, ErrNotInstalled) {
			t.Fatalf("Eval: %v, want ErrNotInstalled", err)
		}
		if want := `nix is not installed (looked for "` + bin + `")` + hint; err.Error() != want {
			t.Errorf("error %q, want %q", err, want)
		}
	})
}

func TestCommandName(t *testing.T) {
	tests := []struct {
		args []string
		want string
	}{
		{nil, ""},
		{[]string{"--version"}, ""},
		{[]string{"eval", "--json"}, "eval"},
		{[]string{"path-info", "/nix/store/x"}, "path-info"},
		{[]string{"flake", "metadata", "path:/x"}, "flake metadata"},
		{[]string{"flake", "--help"}, "flake"},
		{[]string{"store", "gc"}, "store gc"},
	}
	for _, tt := range tests {
		if got := commandName(tt.args); got != tt.want {
			t.Errorf("commandName(%q) = %q, want %q", tt.args, got, tt.want)
		}
	}
}
