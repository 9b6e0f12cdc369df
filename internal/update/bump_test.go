package update_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/nixlayer/nixlayer/internal/changes"
	"github.com/nixlayer/nixlayer/internal/flakeinput"
	"github.com/nixlayer/nixlayer/internal/github"
	"github.com/nixlayer/nixlayer/internal/lock"
	"github.com/nixlayer/nixlayer/internal/update"
	"github.com/nixlayer/nixlayer/internal/update/updatetest"
	"github.com/nixlayer/nixlayer/internal/usererr"
)

// fakeGitHub is a stand-in for api.github.com that lists nixpkgs'
// branches, or answers with status and headers when status is set.
type fakeGitHub struct {
	status  int
	header  http.Header
	calls   atomic.Int32
	lastReq atomic.Pointer[http.Request]
}

// branches are the branches the fake lists: the release branches, the
// newest of them being updatetest.NewerBranch, among others that are not.
var branches = []string{"nixos-25.11-small", updatetest.Branch, "nixos-26.05", updatetest.NewerBranch, "nixos-unstable", "nixos-unstable-small", "nixos-26.5-small", "nixos-27.13-small", "nixos-27.05"}

func (f *fakeGitHub) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	f.calls.Add(1)
	f.lastReq.Store(r)
	if f.status != 0 {
		for k, v := range f.header {
			w.Header()[k] = v
		}
		w.WriteHeader(f.status)
		fmt.Fprint(w, `{"message": "API rate limit exceeded for 192.0.2.1."}`)
		return
	}
	if r.URL.Path != "/repos/NixOS/nixpkgs/git/matching-refs/heads/nixos-" {
		http.NotFound(w, r)
		return
	}
	var refs []map[string]string
	for _, b := range branches {
		refs = append(refs, map[string]string{"ref": "refs/heads/" + b, "url": "https://api.github.com/repos/NixOS/nixpkgs/git/refs/heads/" + b})
	}
	_ = json.NewEncoder(w).Encode(refs)
}

// TestBumpRelease moves the flake to the newest release branch that the
// API lists: only the input's URL changes in flake.nix, and only the
// nixpkgs node in the lock, whose original follows the new branch.
func TestBumpRelease(t *testing.T) {
	d, u, dir := setup(t)
	api := &fakeGitHub{}
	srv := httptest.NewServer(api)
	defer srv.Close()
	before := snapshot(t, dir)

	o := options(d, dir)
	o.BumpRelease = true
	o.GitHub = &github.Client{BaseURL: srv.URL, Token: "t0ken"}
	res, err := update.Run(context.Background(), o)
	if err != nil {
		t.Fatal(err)
	}
	if api.calls.Load() != 1 || api.lastReq.Load().Header.Get("Authorization") != "Bearer t0ken" {
		t.Errorf("the API got %d calls, the last with Authorization %q", api.calls.Load(), api.lastReq.Load().Header.Get("Authorization"))
	}
	want := strings.Replace(before[update.FlakeFile], u.URL(updatetest.Branch), u.URL(updatetest.NewerBranch), 1)
	if diff := cmp.Diff(want, string(res.Flake)); diff != "" || want == before[update.FlakeFile] {
		t.Errorf("flake.nix (-want +got):\n%s", diff)
	}
	changed, err := lock.ChangedNodes([]byte(before[update.LockFile]), res.Lock)
	if err != nil || !slices.Equal(changed, []string{"nixpkgs"}) {
		t.Errorf("changed nodes %v (%v), want nixpkgs", changed, err)
	}
	l, err := lock.Parse(res.Lock)
	if err != nil {
		t.Fatal(err)
	}
	pin, err := l.Input("nixpkgs")
	if err != nil || pin.Ref != updatetest.NewerBranch || pin.Rev != u.Rev2 {
		t.Errorf("the new pin %+v (%v), want %s at %s", pin, err, updatetest.NewerBranch, u.Rev2)
	}
	r := res.Report
	if r.Old.Ref != updatetest.Branch || r.New.Ref != updatetest.NewerBranch || r.New.URL != u.URL(updatetest.NewerBranch) || !r.Changed {
		t.Errorf("the report's pins: %+v → %+v", r.Old, r.New)
	}
	if md := changes.Markdown(r, changes.PullRequestLimit); !strings.Contains(md, "`"+updatetest.Branch+"` `"+u.Rev1[:8]+"` (2026-07-08) → `"+updatetest.NewerBranch+"` `"+u.Rev2[:8]+"`") {
		t.Errorf("the report's title does not show the branches:\n%s", md[:200])
	}
	if diff := cmp.Diff(before, snapshot(t, dir)); diff != "" {
		t.Errorf("Run wrote the flake directory (-before +after):\n%s", diff)
	}
	if err := res.Write(update.Files{}); err != nil {
		t.Fatal(err)
	}
	if got := snapshot(t, dir); got[update.FlakeFile] != want || got[update.LockFile] != string(res.Lock) {
		t.Error("Write did not write the new flake.nix and flake.lock")
	}

	// At the newest release, a bump only follows its branch.
	again, err := update.Run(context.Background(), o)
	if err != nil {
		t.Fatal(err)
	}
	if again.Report.Changed || string(again.Flake) != want {
		t.Errorf("a second bump changed the flake: %+v", again.Report)
	}
}

// TestBumpReleaseFailures checks that the API's refusals and a flake whose
// input is not on a release branch fail with one line, before Nix runs and
// with the files as they were.
func TestBumpReleaseFailures(t *testing.T) {
	d, u, dir := setup(t)
	before := snapshot(t, dir)
	limited := httptest.NewServer(&fakeGitHub{status: http.StatusForbidden, header: http.Header{"X-Ratelimit-Remaining": {"0"}, "X-Ratelimit-Reset": {"1798761600"}}})
	defer limited.Close()

	run := func(client *github.Client, dir string) error {
		o := options(d, dir)
		o.BumpRelease, o.GitHub = true, client
		_, err := update.Run(context.Background(), o)
		return err
	}
	err := run(&github.Client{BaseURL: limited.URL}, dir)
	want := "listing the release branches of NixOS/nixpkgs on " + strings.TrimPrefix(limited.URL, "http://") + ": " + strings.TrimPrefix(limited.URL, "http://") + " rate-limited the request (403); the limit resets at 2027-01-01T00:00:00Z; set GITHUB_TOKEN for a higher limit"
	if _, ok := errors.AsType[*github.RateLimitError](err); err == nil || err.Error() != want || !ok || errors.Is(err, usererr.ErrBadInput) {
		t.Errorf("rate-limited: %v, want %q, a rate limit that is not bad input", err, want)
	}
	err = run(&github.Client{BaseURL: "http://127.0.0.1:1", Timeout: 5e9}, dir)
	want = "listing the release branches of NixOS/nixpkgs on 127.0.0.1:1: 127.0.0.1:1 refused the connection"
	if err == nil || err.Error() != want || errors.Is(err, usererr.ErrBadInput) {
		t.Errorf("unreachable: %v, want %q, a failure that is not bad input", err, want)
	}
	if diff := cmp.Diff(before, snapshot(t, dir)); diff != "" {
		t.Errorf("a failed bump changed the flake (-before +after):\n%s", diff)
	}

	// An input that follows no release branch is the user's to fix.
	other := copyDir(t, dir)
	data, err := os.ReadFile(filepath.Join(other, update.FlakeFile))
	if err != nil {
		t.Fatal(err)
	}
	data, err = flakeinput.SetInputURL(data, "nixpkgs", u.URL(updatetest.Branch), u.URL("main"))
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(other, update.FlakeFile), data, 0o644); err != nil {
		t.Fatal(err)
	}
	api := &fakeGitHub{}
	srv := httptest.NewServer(api)
	defer srv.Close()
	err = run(&github.Client{BaseURL: srv.URL}, other)
	if !errors.Is(err, usererr.ErrBadInput) || !strings.Contains(err.Error(), `the input follows "main", which is not a release branch`) || api.calls.Load() != 0 {
		t.Errorf("an input on main: %v (%d calls to the API)", err, api.calls.Load())
	}
}
