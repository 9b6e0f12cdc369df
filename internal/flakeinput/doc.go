// Package flakeinput rewrites the URL of one input in a flake.nix, changing
// nothing but the bytes inside that URL's string literal, so that comments
// and layout stay as they are.
//
// It does not parse all of Nix. It lexes the file as Nix does, as far as
// telling code from comments and strings goes (# and /* */ comments,
// double-quoted and indented strings with their escapes and ${…}
// interpolations, identifiers, URIs), and then reads the bindings of the
// file's top-level attribute set and of the attribute set literals nested
// in it, skipping every other value. So all of these forms are found:
//
//	inputs.nixpkgs.url = "github:NixOS/nixpkgs/nixos-26.05-small";
//	inputs = { nixpkgs.url = "github:NixOS/nixpkgs/nixos-26.05-small"; };
//	inputs.nixpkgs = { url = "github:NixOS/nixpkgs/nixos-26.05-small"; };
//
// while the same text in a comment, in another string, or as the URL of
// another input is not. InputURL reads the URL, and SetInputURL replaces it
// when it still is the URL the caller read (a check against a file that
// changed in between):
//
//	old, err := flakeinput.InputURL(src, "nixpkgs")
//	// old is github:NixOS/nixpkgs/nixos-26.05-small
//	newURL, err := flakeinput.WithRef(old, "nixos-26.11-small")
//	// newURL is github:NixOS/nixpkgs/nixos-26.11-small
//	out, err := flakeinput.SetInputURL(src, "nixpkgs", old, newURL)
//
// Ref and WithRef read and replace the branch of a URL of the form
// github:owner/repo/branch or …?ref=branch; WithRev makes a URL name one
// commit (for nix flake lock --override-input); GitHubRepo gives the
// owner/repo of a github: URL.
//
// # Refusals
//
// Rather than guess, InputURL and SetInputURL refuse with a one-line error
// that gives the line where there is one and says why: the file is not Nix
// as far as the finder reads it (an unterminated string or comment, a
// missing ;, a file that is not an attribute set), the flake has no such
// input (the error mentions a comment that holds the URL, if one does),
// the url is not a plain "…" literal (computed, interpolated, an indented
// string, an unquoted URI, inherited, behind import or a dynamic attribute
// name, or missing as with follows), it is bound more than once, or the
// literal holds another URL than the caller's old one. For example:
//
//	setting the url of input "nixpkgs": it is bound more than once, on lines 2, 4
//	setting the url of input "nixpkgs": the flake has no input "nixpkgs"; a comment on line 2 mentions "github:NixOS/nixpkgs/nixos-26.05-small"
//
// SetInputURL reads its result back before returning it: the literal must
// be where it was and hold the new URL. The integration test checks with
// Nix that every rewritten test file means the new URL.
//
// The package does no I/O.
package flakeinput
