package nix

import (
	"errors"
	"fmt"
	"net/url"
	"regexp"
	"strings"
	"unicode"
	"unicode/utf8"
)

// ErrNotInstalled is matched (with [errors.Is]) by the error a [Driver]
// returns when it cannot find the nix binary.
var ErrNotInstalled = errors.New("nix is not installed")

// notInstalledError says where the nix binary was looked for and how to
// install it.
type notInstalledError struct {
	bin    string // what was looked for
	inPath bool   // whether it was looked up in PATH
	err    error  // the lookup error
}

func (e *notInstalledError) Error() string {
	where := fmt.Sprintf("%q", e.bin)
	if e.inPath {
		where += " in PATH"
	}
	return fmt.Sprintf(`nix is not installed (looked for %s): install it with "apt-get install nix-bin" or see https://nixos.org/download`, where)
}

func (e *notInstalledError) Unwrap() []error { return []error{ErrNotInstalled, e.err} }

// stderrTailSize is how many trailing bytes of nix's stderr a
// [CommandError] keeps.
const stderrTailSize = 4 << 10

// Limits of the one-line summary in [CommandError.Error].
const (
	summaryLines   = 3
	summaryLineLen = 300
)

// CommandError is the error of a nix command that ran but failed: it exited
// with a non-zero status, was killed, or was cancelled through its context.
type CommandError struct {
	// Command names the nix subcommand, such as "eval" or "flake metadata".
	Command string
	// Args holds every argument passed to nix, not including the program.
	Args []string
	// ExitCode is the exit status, or -1 if nix was killed by a signal.
	ExitCode int
	// Stderr is the end of nix's standard error (at most 4 KiB, starting
	// at a line boundary), with ANSI escape sequences removed.
	Stderr string
	// Err is the underlying error: an [*exec.ExitError], or the context's
	// error when the context ended first.
	Err error
}

// Error returns one line: the command, why it failed and a summary of its
// standard error, for example
//
//	nix eval: exit status 1: error: undefined variable 'y' | at «string»:1:15: | 1| let x = 1; in y
func (e *CommandError) Error() string {
	var b strings.Builder
	b.WriteString(e.name())
	if e.Err != nil {
		b.WriteString(": " + e.Err.Error())
	} else {
		fmt.Fprintf(&b, ": exit status %d", e.ExitCode)
	}
	if s := e.Summary(); s != "" {
		b.WriteString(": " + s)
	}
	return b.String()
}

// name returns "nix" followed by the subcommand, if known.
func (e *CommandError) name() string {
	if e.Command == "" {
		return "nix"
	}
	return "nix " + e.Command
}

// Unwrap returns Err, so that errors.Is(err, context.Canceled) works.
func (e *CommandError) Unwrap() error { return e.Err }

// Summary returns the most telling lines of Stderr joined with " | ": the
// last line starting with "error:" and up to two lines after it, or else the
// last three lines. Blank lines and lines without a letter or digit (such
// as the caret under a code excerpt) are skipped, and long lines are cut.
func (e *CommandError) Summary() string {
	var lines []string
	for line := range strings.FieldsFuncSeq(e.Stderr, func(r rune) bool { return r == '\n' || r == '\r' }) {
		line = strings.TrimSpace(line)
		if strings.IndexFunc(line, func(r rune) bool { return unicode.IsLetter(r) || unicode.IsDigit(r) }) < 0 {
			continue
		}
		lines = append(lines, truncate(line, summaryLineLen))
	}
	start := max(len(lines)-summaryLines, 0)
	for i := len(lines) - 1; i >= 0; i-- {
		if strings.HasPrefix(lines[i], "error:") {
			start = i
			break
		}
	}
	lines = lines[start:min(start+summaryLines, len(lines))]
	return strings.Join(lines, " | ")
}

// truncate cuts s to at most n bytes on a rune boundary, marking the cut.
func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return s[:n] + "…"
}

// ansiEscape matches ANSI escape sequences: CSI (colours, cursor movement),
// OSC (terminated by BEL or ST) and two-character escapes.
var ansiEscape = regexp.MustCompile(`\x1b(?:\[[0-?]*[ -/]*[@-~]|\][^\x07\x1b]*(?:\x07|\x1b\\)|[@-Z\\-_])`)

// stripANSI removes ANSI escape sequences from s.
func stripANSI(s string) string {
	if !strings.Contains(s, "\x1b") {
		return s
	}
	return ansiEscape.ReplaceAllString(s, "")
}

// tailBuffer is an io.Writer that keeps only the last max bytes written.
type tailBuffer struct {
	max       int
	buf       []byte
	truncated bool
}

func (t *tailBuffer) Write(p []byte) (int, error) {
	n := len(p)
	if len(p) >= t.max {
		t.truncated = t.truncated || len(p) > t.max || len(t.buf) > 0
		t.buf = append(t.buf[:0], p[len(p)-t.max:]...)
		return n, nil
	}
	if over := len(t.buf) + len(p) - t.max; over > 0 {
		t.buf = t.buf[:copy(t.buf, t.buf[over:])]
		t.truncated = true
	}
	t.buf = append(t.buf, p...)
	return n, nil
}

// String returns the kept bytes with ANSI escapes removed. When earlier
// bytes were dropped, it starts after the first newline, so that it never
// begins with a partial line, escape sequence or character.
func (t *tailBuffer) String() string {
	b := t.buf
	if t.truncated {
		if i := strings.IndexByte(string(b), '\n'); i >= 0 {
			b = b[i+1:]
		}
	}
	return stripANSI(strings.ToValidUTF8(string(b), "\uFFFD"))
}

// NewCommandError is the error of the nix command line argv (starting with
// the binary), whose subcommand is command (such as "eval"), that exited
// with exitCode after writing stderr. It is for callers that run nix
// elsewhere, such as in a container: it keeps the end of stderr and strips
// ANSI escapes as Driver.Run does, so that its Error is the same one line.
func NewCommandError(command string, argv []string, exitCode int, stderr string) *CommandError {
	tail := &tailBuffer{max: stderrTailSize}
	tail.Write([]byte(stderr))
	e := &CommandError{Command: command, ExitCode: exitCode, Stderr: tail.String()}
	if len(argv) > 0 {
		e.Args = argv[1:]
	}
	return e
}

// downloadFailed matches Nix's error line for a download that failed,
// the same in Nix 2.8 and current Nix: the URL, then curl's reason.
var downloadFailed = regexp.MustCompile(`^error: unable to download '([^']+)': (.+)$`)

// Unreachable reports whether the command failed because a download
// failed, and returns the host it could not reach and curl's reason, such
// as "Couldn't resolve host name (6)". Warnings about retried downloads
// do not count: only the error that ended the command.
func (e *CommandError) Unreachable() (host, reason string, ok bool) {
	for line := range strings.Lines(e.Stderr) {
		m := downloadFailed.FindStringSubmatch(strings.TrimSpace(line))
		if m == nil {
			continue
		}
		u, err := url.Parse(m[1])
		if err != nil || u.Host == "" {
			continue
		}
		host, reason, ok = u.Hostname(), m[2], true
	}
	return host, reason, ok
}

// UnreachableError is a nix command that failed because it could not
// reach a host, such as GitHub for the pinned nixpkgs on a machine
// without internet. It is not the user's bad input.
type UnreachableError struct {
	// Doing says what the command was for, such as "evaluating the plan".
	Doing string
	// Host and Reason are what Unreachable returned.
	Host, Reason string
	Err          *CommandError
}

func (e *UnreachableError) Error() string {
	return fmt.Sprintf("%s: cannot reach %s (%s); offline, build from a local copy of nixpkgs with --nixpkgs DIR, or reach nixpkgs and a binary cache through mirrors with --nixpkgs REF and --catalog-store URL", e.Doing, e.Host, e.Reason)
}

func (e *UnreachableError) Unwrap() error { return e.Err }
