package flakeinput

import (
	"fmt"
	"testing"
)

func TestRef(t *testing.T) {
	tests := []struct {
		url, ref, with, err string
	}{
		{url: "github:NixOS/nixpkgs/nixos-26.05-small", ref: "nixos-26.05-small", with: "github:NixOS/nixpkgs/nixos-26.11-small"},
		{url: "github:NixOS/nixpkgs/nixos-26.05-small?dir=lib", ref: "nixos-26.05-small", with: "github:NixOS/nixpkgs/nixos-26.11-small?dir=lib"},
		{url: "github:NixOS/nixpkgs?ref=nixos-26.05-small", ref: "nixos-26.05-small", with: "github:NixOS/nixpkgs?ref=nixos-26.11-small"},
		{url: "github:NixOS/nixpkgs?dir=lib&ref=nixos-26.05-small&shallow=1", ref: "nixos-26.05-small", with: "github:NixOS/nixpkgs?dir=lib&ref=nixos-26.11-small&shallow=1"},
		{url: "git+https://github.com/NixOS/nixpkgs?ref=nixos-26.05-small", ref: "nixos-26.05-small", with: "git+https://github.com/NixOS/nixpkgs?ref=nixos-26.11-small"},
		{url: "github:NixOS/nixpkgs?ref=release%2F26.05", ref: "release/26.05", with: "github:NixOS/nixpkgs?ref=nixos-26.11-small"},
		{url: "github:NixOS/nixpkgs", err: `"github:NixOS/nixpkgs" names no branch: it is not github:owner/repo/ref`},
		{url: "github:NixOS/nixpkgs?rev=74cc63f702f7d60a557e152a57b40fb1fd0f72ac", err: `"github:NixOS/nixpkgs?rev=74cc63f702f7d60a557e152a57b40fb1fd0f72ac" names no branch: it is not github:owner/repo/ref`},
		{url: "github:NixOS/nixpkgs/74cc63f702f7d60a557e152a57b40fb1fd0f72ac", err: `"github:NixOS/nixpkgs/74cc63f702f7d60a557e152a57b40fb1fd0f72ac" names the commit 74cc63f702f7d60a557e152a57b40fb1fd0f72ac, not a branch`},
		{url: "github:NixOS/nixpkgs/nixos-26.05?ref=nixos-26.05-small", err: `"github:NixOS/nixpkgs/nixos-26.05?ref=nixos-26.05-small" names a ref both in its path and as ?ref=`},
		{url: "https://github.com/NixOS/nixpkgs/archive/nixos-26.05-small.tar.gz", err: `"https://github.com/NixOS/nixpkgs/archive/nixos-26.05-small.tar.gz" names no branch: it is neither github:owner/repo/ref nor a URL with ?ref=`},
		{url: "github:NixOS//nixos-26.05-small", err: `"github:NixOS//nixos-26.05-small" names no branch: it is not github:owner/repo/ref`},
		{url: "github:NixOS/nixpkgs?ref=%zz", err: `the ref of "github:NixOS/nixpkgs?ref=%zz" is not valid URL encoding: invalid URL escape "%zz"`},
	}
	for _, tt := range tests {
		ref, err := Ref(tt.url)
		with, werr := WithRef(tt.url, "nixos-26.11-small")
		if tt.err != "" {
			if err == nil || err.Error() != tt.err || werr == nil || werr.Error() != tt.err {
				t.Errorf("Ref(%q) = %q, %v and WithRef: %v; want the error %q", tt.url, ref, err, werr, tt.err)
			}
			continue
		}
		if err != nil || ref != tt.ref || werr != nil || with != tt.with {
			t.Errorf("Ref(%q) = %q, %v; WithRef = %q, %v; want %q and %q", tt.url, ref, err, with, werr, tt.ref, tt.with)
		}
	}
}

func TestWithRefRefusesOddBranches(t *testing.T) {
	for _, ref := range []string{"", "a/b", "a b", "x?y", "x&y", "74cc63f702f7d60a557e152a57b40fb1fd0f72ac"} {
		want := fmt.Sprintf("%q is not a plain branch name", ref)
		if got, err := WithRef("github:NixOS/nixpkgs/nixos-26.05-small", ref); err == nil || err.Error() != want {
			t.Errorf("WithRef(…, %q) = %q, %v; want the error %q", ref, got, err, want)
		}
	}
}

func TestGitHubRepo(t *testing.T) {
	tests := []struct {
		url, repo string
		ok        bool
	}{
		{"github:NixOS/nixpkgs/nixos-26.05-small", "NixOS/nixpkgs", true},
		{"github:NixOS/nixpkgs?ref=nixos-26.05-small", "NixOS/nixpkgs", true},
		{"github:me/fork", "me/fork", true},
		{"github:me", "", false},
		{"github:a/b/c/d", "", false},
		{"git+https://github.com/NixOS/nixpkgs", "", false},
	}
	for _, tt := range tests {
		if repo, ok := GitHubRepo(tt.url); repo != tt.repo || ok != tt.ok {
			t.Errorf("GitHubRepo(%q) = %q, %v; want %q, %v", tt.url, repo, ok, tt.repo, tt.ok)
		}
	}
}

func TestWithRev(t *testing.T) {
	const rev = "0123456789abcdef0123456789abcdef01234567"
	tests := []struct{ url, want, err string }{
		{"github:NixOS/nixpkgs/nixos-26.05-small", "github:NixOS/nixpkgs/" + rev, ""},
		{"github:NixOS/nixpkgs?ref=nixos-26.05-small", "github:NixOS/nixpkgs/" + rev, ""},
		{"github:NixOS/nixpkgs/nixos-26.05-small?dir=lib", "github:NixOS/nixpkgs/" + rev + "?dir=lib", ""},
		{"github:NixOS/nixpkgs", "github:NixOS/nixpkgs/" + rev, ""},
		{"github:NixOS/nixpkgs/74cc63f702f7d60a557e152a57b40fb1fd0f72ac", "github:NixOS/nixpkgs/" + rev, ""},
		{"git+https://github.com/NixOS/nixpkgs?ref=nixos-26.05-small", "git+https://github.com/NixOS/nixpkgs?ref=nixos-26.05-small&rev=" + rev, ""},
		{"git+file:///srv/nixpkgs?ref=b&rev=74cc63f702f7d60a557e152a57b40fb1fd0f72ac&shallow=1", "git+file:///srv/nixpkgs?ref=b&shallow=1&rev=" + rev, ""},
		{"git+file:///srv/nixpkgs", "git+file:///srv/nixpkgs?rev=" + rev, ""},
		{"github:NixOS", "", `"github:NixOS" is not github:owner/repo[/ref]`},
	}
	for _, tt := range tests {
		got, err := WithRev(tt.url, rev)
		if tt.err != "" {
			if err == nil || err.Error() != tt.err {
				t.Errorf("WithRev(%q) = %q, %v; want the error %q", tt.url, got, err, tt.err)
			}
			continue
		}
		if err != nil || got != tt.want {
			t.Errorf("WithRev(%q) = %q, %v; want %q", tt.url, got, err, tt.want)
		}
	}
	for _, bad := range []string{"", "74cc63f", "0123456789ABCDEF0123456789abcdef01234567", "nixos-26.05-small"} {
		want := fmt.Sprintf("%q is not a full commit hash (40 hexadecimal digits)", bad)
		if got, err := WithRev("github:NixOS/nixpkgs/nixos-26.05-small", bad); err == nil || err.Error() != want {
			t.Errorf("WithRev(…, %q) = %q, %v; want the error %q", bad, got, err, want)
		}
	}
}
