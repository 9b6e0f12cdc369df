package flakeinput

import (
	"bytes"
	"strings"
	"testing"
)

// FuzzSetInputURL checks, on any file, that SetInputURL either refuses
// with a one-line error that says what was being done, or changes only the bytes
// inside the url literal, which then reads back as the new URL, and that
// setting the old URL again restores every byte outside the literal.
func FuzzSetInputURL(f *testing.F) {
	for _, tc := range cases {
		f.Add(readInput(f, tc.file), "github:NixOS/nixpkgs/nixos-26.11-small")
	}
	f.Add([]byte(`{inputs.nixpkgs.url="a";}`), `"${\`)
	f.Add([]byte(`{inputs.nixpkgs.url="a${"b"}";}`), "x")
	f.Add([]byte(`{inputs.nixpkgs.url="a";x=''${''b''}'';}`), "$")
	f.Fuzz(func(t *testing.T, src []byte, newURL string) {
		old, err := InputURL(src, "nixpkgs")
		if err != nil {
			checkError(t, err)
			if _, err := SetInputURL(src, "nixpkgs", "x", newURL); err == nil {
				t.Fatalf("InputURL refused but SetInputURL did not: %v", err)
			}
			return
		}
		b, err := locate(src, "nixpkgs", nil)
		if err != nil {
			t.Fatal(err)
		}
		out, err := SetInputURL(src, "nixpkgs", old, newURL)
		if err != nil {
			t.Fatalf("SetInputURL(%q → %q): %v", old, newURL, err)
		}
		start, end := b.tok.start+1, b.tok.end-1
		tail := len(src) - end
		if len(out) < start+tail || !bytes.Equal(out[:start], src[:start]) || !bytes.Equal(out[len(out)-tail:], src[end:]) {
			t.Fatalf("bytes outside the literal at %d:%d changed:\n%q\n%q", start, end, src, out)
		}
		if got, err := InputURL(out, "nixpkgs"); err != nil || got != newURL {
			t.Fatalf("the result reads back as %q, %v; want %q", got, err, newURL)
		}
		back, err := SetInputURL(out, "nixpkgs", newURL, old)
		if err != nil {
			t.Fatalf("setting %q back: %v", old, err)
		}
		if !bytes.Equal(back[:start], src[:start]) || !bytes.Equal(back[len(back)-tail:], src[end:]) {
			t.Fatalf("setting the URL back changed bytes outside the literal")
		}
		if got, _ := InputURL(back, "nixpkgs"); got != old {
			t.Fatalf("setting back reads %q, want %q", got, old)
		}
	})
}

// checkError checks that err, of InputURL for input "nixpkgs", is one
// line that says what was being done, and then why.
func checkError(t *testing.T, err error) {
	t.Helper()
	const doing = `reading the url of input "nixpkgs": `
	if msg := err.Error(); strings.ContainsAny(msg, "\r\n") || !strings.HasPrefix(msg, doing) || len(msg) == len(doing) {
		t.Errorf("error %q is not one line that starts with %q and goes on", msg, doing)
	}
}
