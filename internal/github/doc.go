// Package github finds the newest stable nixpkgs release branch with a
// small client for GitHub's REST API, so that the nixpkgs pin can move to
// it.
//
// Client.ReleaseBranches makes one request, GET
// {base}/repos/{owner}/{repo}/git/matching-refs/heads/nixos-, which
// answers with a JSON list of every branch whose name starts with nixos-.
// Of those it keeps the release branches, nixos-YY.MM-small (ParseBranch),
// and drops nixos-unstable, nixos-unstable-small, the branches without
// -small and malformed names such as nixos-26.5-small. Newest then picks
// the newest and says whether it is newer than the current branch:
//
//	c := &github.Client{Token: os.Getenv("GITHUB_TOKEN")}
//	branches, err := c.ReleaseBranches(ctx, github.DefaultRepo)
//	if err != nil {
//		return err
//	}
//	branch, newer := github.Newest("nixos-26.05-small", branches)
//	// "nixos-26.11-small", true once 26.11 is out
//
// The client sends Accept: application/vnd.github+json, X-GitHub-Api-Version:
// 2022-11-28, a User-Agent and, when there is a token, Authorization:
// Bearer. Each request has a timeout (DefaultTimeout unless set). BaseURL
// points it at another host, such as a GitHub Enterprise API or a test
// server.
//
// # Errors
//
// Every error is one line that says what was being done and names the host,
// such as
//
//	listing the release branches of NixOS/nixpkgs on api.github.com: api.github.com rate-limited the request (403); the limit resets at 2027-01-01T00:00:00Z; set GITHUB_TOKEN for a higher limit
//	listing the release branches of NixOS/nixpkgs on api.github.com: api.github.com rejected the token (401 Bad credentials); check GITHUB_TOKEN
//	listing the release branches of NixOS/nixpkgs on api.github.com: cannot resolve api.github.com: no such host
//
// A rate limit (a 429, or a 403 with X-RateLimit-Remaining: 0 or
// Retry-After) is a *RateLimitError, which holds the reset time. A
// rejected token (401), a refused access (another 403), an unknown
// repository (404), and a malformed repository name or base URL are the
// user's to fix: they wrap usererr.ErrBadInput (exit status 2). The others
// (no answer, an answer that is not the documented JSON, another status)
// are failures (exit status 1).
package github
