package github

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/nixlayer/nixlayer/internal/usererr"
)

// answer is what the fake server answers.
type answer struct {
	status  int
	headers map[string]string
	body    string
}

// fakeServer answers every request with a and records the last request.
func fakeServer(t *testing.T, a answer) (*httptest.Server, *http.Request) {
	t.Helper()
	var last http.Request
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		last = *r.Clone(context.Background())
		for k, v := range a.headers {
			w.Header().Set(k, v)
		}
		w.Header().Set("Content-Type", "application/json; charset=utf-8")
		w.WriteHeader(a.status)
		_, _ = w.Write([]byte(a.body))
	}))
	t.Cleanup(srv.Close)
	return srv, &last
}

func readFixture(t *testing.T) string {
	t.Helper()
	data, err := os.ReadFile("testdata/matching-refs.json")
	if err != nil {
		t.Fatal(err)
	}
	return string(data)
}

func TestReleaseBranches(t *testing.T) {
	want := []string{
		"nixos-20.09-small", "nixos-23.05-small", "nixos-23.11-small", "nixos-24.05-small",
		"nixos-24.11-small", "nixos-25.05-small", "nixos-25.11-small", "nixos-26.05-small",
		"nixos-26.11-small",
	}
	for _, token := range []string{"", "ghp_secret"} {
		srv, req := fakeServer(t, answer{status: 200, body: readFixture(t)})
		c := &Client{BaseURL: srv.URL, Token: token}
		got, err := c.ReleaseBranches(context.Background(), "")
		if err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("ReleaseBranches (-want +got):\n%s", diff)
		}
		wantHeaders := map[string]string{
			"Accept":               "application/vnd.github+json",
			"X-Github-Api-Version": "2022-11-28",
			"User-Agent":           "nixlayer",
			"Authorization":        "",
		}
		if token != "" {
			wantHeaders["Authorization"] = "Bearer " + token
		}
		gotHeaders := map[string]string{}
		for k := range wantHeaders {
			gotHeaders[k] = req.Header.Get(k)
		}
		if diff := cmp.Diff(wantHeaders, gotHeaders); diff != "" {
			t.Errorf("with token %q, headers (-want +got):\n%s", token, diff)
		}
		if req.Method != http.MethodGet || req.URL.Path != "/repos/NixOS/nixpkgs/git/matching-refs/heads/nixos-" {
			t.Errorf("request %s %s", req.Method, req.URL.Path)
		}
		if branch, newer := Newest("nixos-26.05-small", got); branch != "nixos-26.11-small" || !newer {
			t.Errorf("Newest = %q, %v; want nixos-26.11-small, true", branch, newer)
		}
	}
}

// TestReleaseBranchesPath checks the path for another repository, escaped,
// under a base URL with a path, as GitHub Enterprise has.
func TestReleaseBranchesPath(t *testing.T) {
	srv, req := fakeServer(t, answer{status: 200, body: `[]`})
	c := &Client{BaseURL: srv.URL + "/api/v3/"}
	got, err := c.ReleaseBranches(context.Background(), "me/nix pkgs")
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 0 {
		t.Errorf("ReleaseBranches = %q, want none", got)
	}
	if p := req.URL.EscapedPath(); p != "/api/v3/repos/me/nix%20pkgs/git/matching-refs/heads/nixos-" {
		t.Errorf("request path %s", p)
	}
}

func TestReleaseBranchesErrors(t *testing.T) {
	const doing = "listing the release branches of NixOS/nixpkgs on HOST: "
	reset := "1798761600" // 2027-01-01T00:00:00Z
	tests := []struct {
		name        string
		answer      answer
		token       string
		want        string
		rateLimited bool // the error is a *RateLimitError
		badInput    bool
	}{{
		name:     "bad token",
		answer:   answer{status: 401, body: `{"message": "Bad credentials", "documentation_url": "https://docs.github.com/rest", "status": "401"}`},
		token:    "ghp_bad",
		want:     "HOST rejected the token (401 Bad credentials); check GITHUB_TOKEN",
		badInput: true,
	}, {
		name:        "primary rate limit",
		answer:      answer{status: 403, headers: map[string]string{"X-RateLimit-Remaining": "0", "X-RateLimit-Reset": reset}, body: `{"message": "API rate limit exceeded for 192.0.2.1."}`},
		want:        "HOST rate-limited the request (403); the limit resets at 2027-01-01T00:00:00Z; set GITHUB_TOKEN for a higher limit",
		rateLimited: true,
	}, {
		name:        "primary rate limit with a token",
		answer:      answer{status: 429, headers: map[string]string{"X-RateLimit-Remaining": "0", "X-RateLimit-Reset": reset}},
		token:       "ghp_ok",
		want:        "HOST rate-limited the request (429); the limit resets at 2027-01-01T00:00:00Z; the limit of GITHUB_TOKEN is used up",
		rateLimited: true,
	}, {
		name:        "secondary rate limit",
		answer:      answer{status: 403, headers: map[string]string{"Retry-After": "60"}, body: `{"message": "You have exceeded a secondary rate limit."}`},
		want:        "HOST rate-limited the request (403); retry after 1m0s; set GITHUB_TOKEN for a higher limit",
		rateLimited: true,
	}, {
		name:     "forbidden",
		answer:   answer{status: 403, headers: map[string]string{"X-RateLimit-Remaining": "4999"}, body: `{"message": "Resource not accessible by personal access token"}`},
		token:    "ghp_narrow",
		want:     "HOST refused access (403 Resource not accessible by personal access token); check that GITHUB_TOKEN may read the repository",
		badInput: true,
	}, {
		name:     "not found",
		answer:   answer{status: 404, body: `{"message": "Not Found"}`},
		want:     "HOST has no such repository (404 Not Found); check its name",
		badInput: true,
	}, {
		name:   "server error",
		answer: answer{status: 502, body: "<html>\n<h1>Bad gateway</h1>\n</html>"},
		want:   "HOST answered 502",
	}, {
		name:   "not json",
		answer: answer{status: 200, body: "<html>\nsign in\n</html>"},
		want:   "the answer is not a JSON list of git refs: invalid character '<' looking for beginning of value",
	}, {
		name:   "an object",
		answer: answer{status: 200, body: `{"ref": "refs/heads/nixos-26.05-small", "object": {"sha": "aa"}}`},
		want:   "the answer is not a JSON list of git refs: json: cannot unmarshal object into Go value of type []github.ref",
	}, {
		name:   "another ref",
		answer: answer{status: 200, body: `[{"ref": "refs/tags/nixos-26.05"}]`},
		want:   `the answer holds ref "refs/tags/nixos-26.05", which is not a branch named nixos-…`,
	}, {
		name:   "too large",
		answer: answer{status: 200, body: "[" + strings.Repeat(" ", maxBody) + "]"},
		want:   "the answer is larger than 8 MiB",
	}}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv, _ := fakeServer(t, tt.answer)
			c := &Client{BaseURL: srv.URL, Token: tt.token}
			branches, err := c.ReleaseBranches(context.Background(), "")
			if err == nil {
				t.Fatalf("ReleaseBranches = %q, want an error", branches)
			}
			host := strings.TrimPrefix(srv.URL, "http://")
			if diff := cmp.Diff(strings.ReplaceAll(doing+tt.want, "HOST", host), err.Error()); diff != "" {
				t.Errorf("error (-want +got):\n%s", diff)
			}
			if errors.Is(err, usererr.ErrBadInput) != tt.badInput {
				t.Errorf("errors.Is(err, usererr.ErrBadInput) = %v, want %v", !tt.badInput, tt.badInput)
			}
			var rl *RateLimitError
			if errors.As(err, &rl) != tt.rateLimited {
				t.Errorf("errors.As(err, *RateLimitError) = %v", !tt.rateLimited)
			}
		})
	}
}

// TestRateLimitFields checks what a caller can read from a rate limit.
func TestRateLimitFields(t *testing.T) {
	srv, _ := fakeServer(t, answer{status: 429, headers: map[string]string{"Retry-After": "30", "X-RateLimit-Reset": "1798761600"}})
	_, err := (&Client{BaseURL: srv.URL}).ReleaseBranches(context.Background(), "")
	var rl *RateLimitError
	if !errors.As(err, &rl) {
		t.Fatalf("error %v is not a *RateLimitError", err)
	}
	want := RateLimitError{
		Doing:      "listing the release branches of NixOS/nixpkgs on " + strings.TrimPrefix(srv.URL, "http://"),
		Host:       strings.TrimPrefix(srv.URL, "http://"),
		Status:     429,
		Reset:      time.Date(2027, 1, 1, 0, 0, 0, 0, time.UTC),
		RetryAfter: 30 * time.Second,
	}
	if diff := cmp.Diff(want, *rl); diff != "" {
		t.Errorf("RateLimitError (-want +got):\n%s", diff)
	}
}

// TestNetworkErrors checks the failures to get an answer: a refused
// connection, a name that does not resolve, a server that does not answer
// in time, and a caller that gives up.
func TestNetworkErrors(t *testing.T) {
	refused := httptest.NewServer(http.NotFoundHandler())
	refused.Close()
	block := make(chan struct{})
	slow := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-block:
		case <-r.Context().Done():
		}
	}))
	defer slow.Close()
	defer close(block)
	canceled, cancel := context.WithCancel(context.Background())
	cancel()

	tests := []struct {
		name    string
		base    string
		ctx     context.Context
		timeout time.Duration
		want    string // after "listing … on HOST: "
		cause   error
	}{
		{"refused", refused.URL, context.Background(), 0, "HOST refused the connection", nil},
		{"dns", "https://api.nixlayer.invalid", context.Background(), 20 * time.Second, "cannot resolve HOST: no such host", nil},
		{"timeout", slow.URL, context.Background(), 100 * time.Millisecond, "HOST did not answer within 100ms", context.DeadlineExceeded},
		{"canceled", slow.URL, canceled, 0, "the request to HOST was canceled", context.Canceled},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			u, err := url.Parse(tt.base)
			if err != nil {
				t.Fatal(err)
			}
			c := &Client{BaseURL: tt.base, Timeout: tt.timeout}
			_, err = c.ReleaseBranches(tt.ctx, "")
			if err == nil {
				t.Fatal("no error")
			}
			want := strings.ReplaceAll("listing the release branches of NixOS/nixpkgs on HOST: "+tt.want, "HOST", u.Host)
			if tt.name == "dns" && strings.HasPrefix(err.Error(), strings.TrimSuffix(want, "no such host")) {
				want = err.Error() // the resolver may say "server misbehaving" offline
			}
			if diff := cmp.Diff(want, err.Error()); diff != "" {
				t.Errorf("error (-want +got):\n%s", diff)
			}
			if errors.Is(err, usererr.ErrBadInput) {
				t.Errorf("error %v: want a failure, not bad input", err)
			}
			if tt.cause != nil && !errors.Is(err, tt.cause) {
				t.Errorf("error %v does not wrap %v", err, tt.cause)
			}
		})
	}
}

func TestReleaseBranchesBadInput(t *testing.T) {
	tests := []struct{ base, repo, want string }{
		{"", "nixpkgs", `listing the release branches of "nixpkgs": a repository is named owner/name, such as NixOS/nixpkgs`},
		{"", "a/b/c", `listing the release branches of "a/b/c": a repository is named owner/name, such as NixOS/nixpkgs`},
		{"", "/b", `listing the release branches of "/b": a repository is named owner/name, such as NixOS/nixpkgs`},
		{"ftp://example.com", "a/b", `listing the release branches of a/b: the API's base URL "ftp://example.com" is not an http(s) URL`},
		{"api.github.com", "a/b", `listing the release branches of a/b: the API's base URL "api.github.com" is not an http(s) URL`},
	}
	for _, tt := range tests {
		_, err := (&Client{BaseURL: tt.base}).ReleaseBranches(context.Background(), tt.repo)
		if err == nil || err.Error() != tt.want || !errors.Is(err, usererr.ErrBadInput) {
			t.Errorf("ReleaseBranches(%q) with base %q: error %v, want %q wrapping ErrBadInput", tt.repo, tt.base, err, tt.want)
		}
	}
}
