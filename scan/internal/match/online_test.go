package match_test

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/nixlayer/nixlayer/internal/nix"
	"github.com/nixlayer/nixlayer/internal/sbom"
	"github.com/nixlayer/nixlayer/scan/internal/match"
	"github.com/nixlayer/nixlayer/scan/internal/scantest"
)

// fakeOSV is a local stand-in for osv.dev's POST /v1/query by commit, as
// its API documents it (docs/api/post-v1-query.md): a JSON body with
// "commit" (and "page_token" for a next page); the answer has "vulns"
// and, while there are more, "next_page_token". It serves pages of the
// records planted for each commit, and records what it was asked.
type fakeOSV struct {
	mu    sync.Mutex
	pages map[string][][]string // commit → pages of records
	asked []string              // "commit page_token" per request
}

func (f *fakeOSV) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodPost || r.URL.Path != "/v1/query" || r.Header.Get("Content-Type") != "application/json" {
		http.Error(w, "want POST /v1/query with JSON", http.StatusBadRequest)
		return
	}
	var q struct {
		Commit    string `json:"commit"`
		PageToken string `json:"page_token"`
		Version   string `json:"version"`
		Package   any    `json:"package"`
	}
	if err := json.NewDecoder(r.Body).Decode(&q); err != nil || q.Commit == "" || q.Version != "" || q.Package != nil {
		http.Error(w, "want a commit query", http.StatusBadRequest)
		return
	}
	f.mu.Lock()
	f.asked = append(f.asked, q.Commit+" "+q.PageToken)
	f.mu.Unlock()
	pages := f.pages[q.Commit]
	page := 0
	if q.PageToken != "" {
		page = int(q.PageToken[0] - '0')
	}
	resp := map[string]any{}
	if page < len(pages) {
		var vulns []json.RawMessage
		for _, rec := range pages[page] {
			vulns = append(vulns, json.RawMessage(rec))
		}
		resp["vulns"] = vulns
	}
	if page+1 < len(pages) {
		resp["next_page_token"] = string(rune('0' + page + 1))
	}
	w.Header().Set("Content-Type", "application/json")
	json.NewEncoder(w).Encode(resp)
}

// TestOnline asks a local fake of osv.dev's API about a commit-only
// source: its records are findings by commit, over two pages, weighed as
// offline ones are; tag sources are not asked about.
func TestOnline(t *testing.T) {
	const commit = "0123456789abcdef0123456789abcdef01234567"
	libssh := "https://github.com/libssh2/libssh2"
	fake := &fakeOSV{pages: map[string][][]string{commit: {
		{ossFuzz("TEST-LIBSSH2-A", "libssh2", libssh+".git", "libssh2-1.11.1")},
		{ossFuzz("TEST-LIBSSH2-B", "libssh2", libssh+".git")},
	}}}
	srv := httptest.NewServer(fake)
	defer srv.Close()
	doc := &sbom.Document{Meta: sbom.Meta{Kind: "runtime", Epoch: time.Unix(1, 0)}, Components: []sbom.Component{
		component("curl", "8.15.0", curlSource("curl-8_15_0")),
		component("libssh2", "1.11.1-unstable-2026-06-30", &nix.Source{Fetcher: "fetchurl", Repository: libssh, Commit: commit,
			URLs: []string{libssh + "/archive/" + commit + ".tar.gz"}}),
	}}
	db := scantest.Database(t, map[string][]string{"GIT": {}})
	res, err := match.Scan(t.Context(), doc, "", match.Options{DB: db, Online: true, API: srv.URL, Client: srv.Client()})
	if err != nil {
		t.Fatal(err)
	}
	got := gitOutcomes(t, res.Findings)
	for _, f := range res.Findings {
		if f.Package.Commit != commit || f.Package.Key != match.KeyCommit || f.Package.StorePath != doc.Components[1].Path {
			t.Errorf("%s: package %+v", f.ID, f.Package)
		}
	}
	want := []gitOutcome{{"TEST-LIBSSH2-A", match.ByCommit, "", true, ""}, {"TEST-LIBSSH2-B", match.ByCommit, "", true, ""}}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("findings (-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]string{commit + " ", commit + " 1"}, fake.asked); diff != "" {
		t.Errorf("queries (-want +got):\n%s", diff)
	}
	if got, want := res.Coverage.Summary(), "2 of 2 Nix packages have a matchable source (tag 1, commit 1)"; got != want {
		t.Errorf("coverage %q, want %q", got, want)
	}
}

// TestOnlineWeighing checks that a commit match is weighed as others: a
// patch naming the CVE suppresses it, upstream's patch series past the
// commit lowers its confidence.
func TestOnlineWeighing(t *testing.T) {
	const commit = "89abcdef0123456789abcdef0123456789abcdef"
	repo := "https://git.savannah.gnu.org/git/bash.git"
	rec := strings.Replace(cve5("TEST-BASH", repo, "5.2"), `"aliases":["GHSA-xxxx-xxxx-xxxx"]`, `"aliases":["CVE-2026-0001"]`, 1)
	srv := httptest.NewServer(&fakeOSV{pages: map[string][][]string{commit: {{rec}}}})
	defer srv.Close()
	src := &nix.Source{Fetcher: "fetchgit", Repository: repo, Commit: commit}
	for _, tt := range []struct {
		patches []string
		want    gitOutcome
	}{
		{[]string{"CVE-2026-0001.patch"}, gitOutcome{"TEST-BASH", match.ByCommit, "", false, "patched by CVE-2026-0001.patch"}},
		{[]string{"bash52-001"}, gitOutcome{"TEST-BASH", match.ByCommit, "", false,
			"the built source is not commit " + commit + ": patch bash52-001 is upstream's patch series past it"}},
	} {
		doc := &sbom.Document{Meta: sbom.Meta{Kind: "runtime", Epoch: time.Unix(1, 0)},
			Components: []sbom.Component{component("bash", "5.2-unstable-2026-01-01", src, tt.patches...)}}
		res, err := match.Scan(t.Context(), doc, "", match.Options{DB: scantest.Database(t, map[string][]string{"GIT": {}}),
			Online: true, API: srv.URL, Client: srv.Client()})
		if err != nil {
			t.Fatal(err)
		}
		if diff := cmp.Diff([]gitOutcome{tt.want}, gitOutcomes(t, res.Findings)); diff != "" {
			t.Errorf("patches %v: findings (-want +got):\n%s", tt.patches, diff)
		}
	}
}

// TestOnlineFailure checks that an API that fails fails the scan, naming
// the host and the commit, and that offline nothing is asked.
func TestOnlineFailure(t *testing.T) {
	const commit = "0123456789abcdef0123456789abcdef01234567"
	asked := 0
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		asked++
		http.Error(w, "overloaded", http.StatusServiceUnavailable)
	}))
	defer srv.Close()
	doc := &sbom.Document{Meta: sbom.Meta{Kind: "runtime", Epoch: time.Unix(1, 0)}, Components: []sbom.Component{
		component("libssh2", "1.11.1-unstable-2026-06-30", &nix.Source{Fetcher: "fetchgit", Repository: "https://github.com/libssh2/libssh2", Commit: commit}),
	}}
	db := scantest.Database(t, map[string][]string{"GIT": {}})
	if _, err := match.Scan(t.Context(), doc, "", match.Options{DB: db, API: srv.URL, Client: srv.Client()}); err != nil || asked != 0 {
		t.Errorf("offline: %v, %d queries; want none", err, asked)
	}
	_, err := match.Scan(t.Context(), doc, "", match.Options{DB: db, Online: true, API: srv.URL, Client: srv.Client()})
	host := strings.TrimPrefix(srv.URL, "http://")
	if want := "asking " + host + " about commit " + commit + ": 503 Service Unavailable: overloaded"; err == nil || err.Error() != want {
		t.Errorf("online: %v, want %q", err, want)
	}
}
