package nix

import (
	"bytes"
	"os"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// TestLogDecoder decodes a real build's log: the progress folds into a
// line when the builds start and one when they are done, a warning that
// Nix repeats at every retry is shown once, and the messages become the
// text that errors quote.
func TestLogDecoder(t *testing.T) {
	data, err := os.ReadFile("testdata/logs-nix2.8-build.jsonl")
	if err != nil {
		t.Fatal(err)
	}
	var text, progress bytes.Buffer
	d := newLogDecoder(&text, &progress, false)
	// Written in odd pieces, as a pipe delivers it.
	for len(data) > 0 {
		n := min(len(data), 37)
		d.Write(data[:n])
		data = data[n:]
	}
	d.Close()
	want := []string{
		"warning: error: unable to download 'https://cache.nixos.org/nix-cache-info': Couldn't resolve host name (6); retrying in 268 ms",
		"warning: unable to download 'https://cache.nixos.org/nix-cache-info': Couldn't resolve host name (6)",
		"nixlayer: building 6 derivations",
		"nixlayer: built 6 of 6 derivations",
	}
	if diff := cmp.Diff(want, strings.Split(strings.TrimSpace(progress.String()), "\n")); diff != "" {
		t.Errorf("progress (-want +got):\n%s", diff)
	}
	if got := strings.Count(text.String(), "unable to download"); got != 5 {
		t.Errorf("the error text has %d download messages, want all 5:\n%s", got, text.String())
	}
	if strings.Contains(text.String(), "@nix") {
		t.Errorf("the error text holds raw JSON:\n%s", text.String())
	}
}

func TestLogDecoderVerbose(t *testing.T) {
	data, err := os.ReadFile("testdata/logs-nix2.8-build.jsonl")
	if err != nil {
		t.Fatal(err)
	}
	var text, progress bytes.Buffer
	d := newLogDecoder(&text, &progress, true)
	d.Write(data)
	d.Close()
	out := progress.String()
	if strings.Count(out, "building '/nix/store/") != 6 || strings.Count(out, "retrying in") != 4 || strings.Contains(out, "nixlayer: built") {
		t.Errorf("verbose progress does not have every message, and only those:\n%s", out)
	}
}

// TestLogDecoderPlain passes lines that are not internal-json on as they
// are, to both outputs: a builder's, or a Nix that ignores --log-format.
func TestLogDecoderPlain(t *testing.T) {
	var text, progress bytes.Buffer
	d := newLogDecoder(&text, &progress, false)
	d.Write([]byte("plain line\n@nix {not json}\nlast"))
	d.Close()
	want := "plain line\n@nix {not json}\nlast\n"
	if text.String() != want || progress.String() != want {
		t.Errorf("text %q, progress %q; want %q in both", text.String(), progress.String(), want)
	}
}

// TestUnreachable reads, from a real offline evaluation, the host that
// could not be reached, and not from the retried downloads' warnings.
func TestUnreachable(t *testing.T) {
	data, err := os.ReadFile("testdata/logs-nix2.8-offline-eval.jsonl")
	if err != nil {
		t.Fatal(err)
	}
	tail := &tailBuffer{max: stderrTailSize}
	d := newLogDecoder(tail, nil, false)
	d.Write(data)
	d.Close()
	ce := &CommandError{Command: "eval", ExitCode: 1, Stderr: tail.String()}
	host, reason, ok := ce.Unreachable()
	if !ok || host != "api.github.com" || reason != "Couldn't resolve host name (6)" {
		t.Errorf("Unreachable() = %q, %q, %v", host, reason, ok)
	}
	e := &UnreachableError{Doing: "evaluating the plan", Host: host, Reason: reason, Err: ce}
	if want := "evaluating the plan: cannot reach api.github.com (Couldn't resolve host name (6)); offline"; !strings.HasPrefix(e.Error(), want) || strings.Contains(e.Error(), "\n") {
		t.Errorf("Error() = %q, want one line starting %q", e.Error(), want)
	}
	warnings := &CommandError{Stderr: "warning: error: unable to download 'https://cache.nixos.org/nix-cache-info': Couldn't resolve host name (6); retrying in 268 ms\nerror: attribute 'x' missing\n"}
	if _, _, ok := warnings.Unreachable(); ok {
		t.Error("a retried download's warning was taken for the error")
	}
}
