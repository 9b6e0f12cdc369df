package github

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/nixlayer/nixlayer/internal/usererr"
)

// Defaults of a Client.
const (
	// DefaultBaseURL is GitHub's REST API.
	DefaultBaseURL = "https://api.github.com"
	// DefaultRepo is the repository of nixpkgs.
	DefaultRepo = "NixOS/nixpkgs"
	// DefaultTimeout bounds one request, from connecting to reading the
	// whole answer.
	DefaultTimeout = 30 * time.Second
)

const (
	// apiVersion is the REST API version that the client was written for.
	apiVersion = "2022-11-28"
	// userAgent names the client; GitHub requires one.
	userAgent = "nixlayer"
	// maxBody bounds the answer the client reads.
	maxBody = 8 << 20
)

// Client talks to GitHub's REST API. The zero value uses DefaultBaseURL,
// no token, http.DefaultClient and DefaultTimeout.
type Client struct {
	// BaseURL is the API's root, such as https://api.github.com or a test
	// server's URL.
	BaseURL string
	// Token, when set, is sent as a bearer token. The caller takes it
	// from GITHUB_TOKEN; without one, GitHub allows 60 requests an hour.
	Token string
	// HTTPClient sends the requests; nil means http.DefaultClient.
	HTTPClient *http.Client
	// Timeout bounds each request; 0 means DefaultTimeout.
	Timeout time.Duration
}

// ref is the part of an element of the answer of the matching-refs
// endpoint that the client reads.
type ref struct {
	Ref string `json:"ref"`
}

// ReleaseBranches lists the release branches (nixos-YY.MM-small, see
// ParseBranch) of repo, given as "owner/name" ("" means DefaultRepo), oldest
// first. It makes one request, to the matching-refs endpoint for
// heads/nixos-, which answers with every match at once.
func (c *Client) ReleaseBranches(ctx context.Context, repo string) ([]string, error) {
	if repo == "" {
		repo = DefaultRepo
	}
	owner, name, ok := strings.Cut(repo, "/")
	if !ok || owner == "" || name == "" || strings.Contains(name, "/") {
		return nil, usererr.Errorf("listing the release branches of %q: a repository is named owner/name, such as %s", repo, DefaultRepo)
	}
	base := c.BaseURL
	if base == "" {
		base = DefaultBaseURL
	}
	u, err := url.Parse(strings.TrimSuffix(base, "/"))
	if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
		return nil, usererr.Errorf("listing the release branches of %s: the API's base URL %q is not an http(s) URL", repo, base)
	}
	doing := fmt.Sprintf("listing the release branches of %s on %s", repo, u.Host)
	endpoint := u.String() + "/repos/" + url.PathEscape(owner) + "/" + url.PathEscape(name) + "/git/matching-refs/heads/" + branchPrefix

	body, err := c.get(ctx, doing, u.Host, endpoint)
	if err != nil {
		return nil, err
	}
	var refs []ref
	if err := json.Unmarshal(body, &refs); err != nil {
		return nil, failure(doing, err, "the answer is not a JSON list of git refs: %v", err)
	}
	names := make([]string, 0, len(refs))
	for _, r := range refs {
		branch, ok := strings.CutPrefix(r.Ref, "refs/heads/")
		if !ok || !strings.HasPrefix(branch, branchPrefix) {
			return nil, failure(doing, nil, "the answer holds ref %q, which is not a branch named %s…", r.Ref, branchPrefix)
		}
		names = append(names, branch)
	}
	return releaseBranches(names), nil
}

// get sends a GET request for endpoint and returns the body of a 200
// answer. Any other answer, or no answer, gives an error as the package
// documentation describes.
func (c *Client) get(ctx context.Context, doing, host, endpoint string) ([]byte, error) {
	timeout := c.Timeout
	if timeout <= 0 {
		timeout = DefaultTimeout
	}
	ctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, endpoint, nil)
	if err != nil {
		return nil, failure(doing, err, "preparing the request: %v", err)
	}
	req.Header.Set("Accept", "application/vnd.github+json")
	req.Header.Set("X-GitHub-Api-Version", apiVersion)
	req.Header.Set("User-Agent", userAgent)
	if c.Token != "" {
		req.Header.Set("Authorization", "Bearer "+c.Token)
	}
	hc := c.HTTPClient
	if hc == nil {
		hc = http.DefaultClient
	}
	resp, err := hc.Do(req)
	if err != nil {
		return nil, networkError(doing, host, timeout, err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, maxBody+1))
	if err != nil {
		return nil, networkError(doing, host, timeout, err)
	}
	if resp.StatusCode == http.StatusOK {
		if len(body) > maxBody {
			return nil, failure(doing, nil, "the answer is larger than %d MiB", maxBody>>20)
		}
		return body, nil
	}
	return nil, c.statusError(doing, host, resp, body)
}

// statusError returns the error for an answer other than 200.
func (c *Client) statusError(doing, host string, resp *http.Response, body []byte) error {
	status := strconv.Itoa(resp.StatusCode)
	if msg := apiMessage(body); msg != "" {
		status += " " + msg
	}
	token := c.Token != ""
	switch code := resp.StatusCode; {
	case code == http.StatusTooManyRequests || code == http.StatusForbidden && rateLimited(resp.Header):
		e := &RateLimitError{Doing: doing, Host: host, Status: code, Token: token}
		if s, err := strconv.ParseInt(resp.Header.Get("X-RateLimit-Reset"), 10, 64); err == nil && s > 0 {
			e.Reset = time.Unix(s, 0).UTC()
		}
		if s, err := strconv.Atoi(resp.Header.Get("Retry-After")); err == nil && s > 0 {
			e.RetryAfter = time.Duration(s) * time.Second
		}
		return e
	case code == http.StatusUnauthorized && token:
		return userError(doing, "%s rejected the token (%s); check GITHUB_TOKEN", host, status)
	case code == http.StatusUnauthorized:
		return userError(doing, "%s asks for a token (%s); set GITHUB_TOKEN", host, status)
	case code == http.StatusForbidden && token:
		return userError(doing, "%s refused access (%s); check that GITHUB_TOKEN may read the repository", host, status)
	case code == http.StatusForbidden:
		return userError(doing, "%s refused access (%s)", host, status)
	case code == http.StatusNotFound && token:
		return userError(doing, "%s has no such repository (%s); check its name, and that GITHUB_TOKEN may read it", host, status)
	case code == http.StatusNotFound:
		return userError(doing, "%s has no such repository (%s); check its name", host, status)
	default:
		return failure(doing, nil, "%s answered %s", host, status)
	}
}

// rateLimited reports whether a 403 answer is GitHub's rate limit: the
// primary limit sets X-RateLimit-Remaining to 0, a secondary limit sends
// Retry-After.
func rateLimited(h http.Header) bool {
	return h.Get("X-RateLimit-Remaining") == "0" || h.Get("Retry-After") != ""
}

// apiMessage returns the message of a GitHub error answer
// ({"message": "Bad credentials", ...}), or "".
func apiMessage(body []byte) string {
	var e struct {
		Message string `json:"message"`
	}
	if json.Unmarshal(body, &e) != nil {
		return ""
	}
	return e.Message
}

// networkError returns the error for a request that got no answer, or
// whose answer could not be read, naming the host.
func networkError(doing, host string, timeout time.Duration, err error) error {
	var dns *net.DNSError
	var uerr *url.Error
	switch {
	case errors.Is(err, context.DeadlineExceeded):
		return failure(doing, err, "%s did not answer within %s", host, timeout)
	case errors.Is(err, context.Canceled):
		return failure(doing, err, "the request to %s was canceled", host)
	case errors.As(err, &dns):
		return failure(doing, err, "cannot resolve %s: %s", host, dns.Err)
	case errors.Is(err, syscall.ECONNREFUSED):
		return failure(doing, err, "%s refused the connection", host)
	case errors.As(err, &uerr):
		return failure(doing, err, "cannot reach %s: %v", host, uerr.Err)
	default:
		return failure(doing, err, "reading the answer of %s: %v", host, err)
	}
}
