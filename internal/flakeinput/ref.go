package flakeinput

import (
	"fmt"
	"net/url"
	"strings"
)

// githubScheme starts a GitHub flake URL: github:owner/repo[/ref][?params].
const githubScheme = "github:"

// flakeURL is a flake URL cut where its ref may be: before, the ref, and
// after (which starts with ? or & or is empty).
type flakeURL struct {
	before, ref, after string
}

// cutRef finds the branch or tag that u names: the third path segment of
// github:owner/repo/ref, or the ref parameter of any URL with a query
// (github:owner/repo?ref=…, git+https://…?ref=…).
func cutRef(u string) (flakeURL, error) {
	base, query, hasQuery := strings.Cut(u, "?")
	if hasQuery {
		params := strings.Split(query, "&")
		for i, p := range params {
			value, ok := strings.CutPrefix(p, "ref=")
			if !ok {
				continue
			}
			ref, err := url.QueryUnescape(value)
			if err != nil {
				return flakeURL{}, fmt.Errorf("the ref of %q is not valid URL encoding: %v", u, err)
			}
			if strings.HasPrefix(base, githubScheme) && strings.Count(base, "/") > 1 {
				return flakeURL{}, fmt.Errorf("%q names a ref both in its path and as ?ref=", u)
			}
			before := base + "?" + strings.Join(append(params[:i:i], "ref="), "&")
			after := strings.Join(params[i+1:], "&")
			if after != "" {
				after = "&" + after
			}
			return flakeURL{before: before, ref: ref, after: after}, nil
		}
	}
	rest, ok := strings.CutPrefix(base, githubScheme)
	if !ok {
		return flakeURL{}, fmt.Errorf("%q names no branch: it is neither github:owner/repo/ref nor a URL with ?ref=", u)
	}
	parts := strings.Split(rest, "/")
	if len(parts) != 3 || parts[0] == "" || parts[1] == "" || parts[2] == "" {
		return flakeURL{}, fmt.Errorf("%q names no branch: it is not github:owner/repo/ref", u)
	}
	ref, err := url.PathUnescape(parts[2])
	if err != nil {
		return flakeURL{}, fmt.Errorf("the ref of %q is not valid URL encoding: %v", u, err)
	}
	after := ""
	if hasQuery {
		after = "?" + query
	}
	return flakeURL{before: githubScheme + parts[0] + "/" + parts[1] + "/", ref: ref, after: after}, nil
}

// Ref returns the branch or tag that the flake URL u names, as in
// github:NixOS/nixpkgs/nixos-26.05-small or
// github:NixOS/nixpkgs?ref=nixos-26.05-small. A URL in another form, or one
// that names a commit (40 hexadecimal digits) rather than a branch, gives
// an error that says so.
func Ref(u string) (string, error) {
	f, err := branchOf(u)
	return f.ref, err
}

// WithRef returns the flake URL u with the branch or tag that it names (see
// Ref) replaced by ref, every other byte kept:
// github:NixOS/nixpkgs/nixos-26.05-small becomes
// github:NixOS/nixpkgs/nixos-26.11-small. ref must be a plain branch name
// (letters, digits, and . _ + -).
func WithRef(u, ref string) (string, error) {
	f, err := branchOf(u)
	if err != nil {
		return "", err
	}
	if ref == "" || strings.Trim(ref, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789._+-") != "" || isRev(ref) {
		return "", fmt.Errorf("%q is not a plain branch name", ref)
	}
	return f.before + ref + f.after, nil
}

// branchOf cuts u where its ref is, and refuses a ref that is a commit.
func branchOf(u string) (flakeURL, error) {
	f, err := cutRef(u)
	if err == nil && isRev(f.ref) {
		err = fmt.Errorf("%q names the commit %s, not a branch", u, f.ref)
	}
	return f, err
}

// GitHubRepo returns the owner/repo of a github: flake URL, such as
// NixOS/nixpkgs for github:NixOS/nixpkgs/nixos-26.05-small, and false for
// a URL of another kind.
func GitHubRepo(u string) (string, bool) {
	rest, ok := strings.CutPrefix(u, githubScheme)
	if !ok {
		return "", false
	}
	rest, _, _ = strings.Cut(rest, "?")
	parts := strings.Split(rest, "/")
	if len(parts) < 2 || len(parts) > 3 || parts[0] == "" || parts[1] == "" {
		return "", false
	}
	return parts[0] + "/" + parts[1], true
}

// isRev reports whether ref is a full commit hash.
func isRev(ref string) bool {
	return len(ref) == 40 && strings.Trim(ref, "0123456789abcdef") == ""
}

// WithRev returns the flake URL u made to name the commit rev, such as for
// nix flake lock --override-input, every byte but the ref's kept. A GitHub
// URL names a ref or a commit, not both, so the commit takes the ref's
// place: github:NixOS/nixpkgs/nixos-26.05-small (or …?ref=nixos-26.05-small)
// becomes github:NixOS/nixpkgs/<rev>. Any other URL gets rev=<rev> in its
// query, beside its ref, in place of a rev it had:
// git+https://github.com/NixOS/nixpkgs?ref=nixos-26.05-small becomes
// …?ref=nixos-26.05-small&rev=<rev>, and Nix then checks that the branch
// holds the commit. rev must be a full commit hash (40 or 64 lower-case
// hexadecimal digits).
func WithRev(u, rev string) (string, error) {
	if (len(rev) != 40 && len(rev) != 64) || strings.Trim(rev, "0123456789abcdef") != "" {
		return "", fmt.Errorf("%q is not a full commit hash (40 hexadecimal digits)", rev)
	}
	base, query, hasQuery := strings.Cut(u, "?")
	var params []string
	if hasQuery {
		for _, p := range strings.Split(query, "&") {
			if !strings.HasPrefix(p, "rev=") && !(strings.HasPrefix(base, githubScheme) && strings.HasPrefix(p, "ref=")) {
				params = append(params, p)
			}
		}
	}
	if rest, ok := strings.CutPrefix(base, githubScheme); ok {
		parts := strings.Split(rest, "/")
		if len(parts) < 2 || len(parts) > 3 || parts[0] == "" || parts[1] == "" {
			return "", fmt.Errorf("%q is not github:owner/repo[/ref]", u)
		}
		base = githubScheme + parts[0] + "/" + parts[1] + "/" + rev
	} else {
		params = append(params, "rev="+rev)
	}
	if len(params) == 0 {
		return base, nil
	}
	return base + "?" + strings.Join(params, "&"), nil
}
