package osvdb

import (
	"archive/zip"
	"bytes"
	"errors"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/nixlayer/nixlayer/internal/usererr"
)

func zipOf(t *testing.T, records ...string) []byte {
	t.Helper()
	var b bytes.Buffer
	zw := zip.NewWriter(&b)
	for i, r := range records {
		w, _ := zw.Create(string(rune('a'+i)) + ".json")
		w.Write([]byte(r))
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func put(t *testing.T, file string, data []byte) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(file), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(file, data, 0o644); err != nil {
		t.Fatal(err)
	}
}

func TestCheck(t *testing.T) {
	dir := t.TempDir()
	put(t, ZipPath(dir, "GIT"), zipOf(t, `{"id": "A"}`))
	put(t, ZipPath(dir, "PyPI"), zipOf(t))
	missing, err := Check(dir)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([]string{"Go", "npm", "crates.io"}, missing); diff != "" {
		t.Errorf("missing (-want +got):\n%s", diff)
	}
	put(t, ZipPath(dir, "Go"), zipOf(t, `{"id": "A"}`, `[1, 2]`))
	if _, err := Check(dir); err == nil || !errors.Is(err, usererr.ErrBadInput) || !strings.Contains(err.Error(), "b.json: not an OSV record") {
		t.Errorf("Check with a bad record: %v", err)
	}
	if _, err := Check(t.TempDir()); err == nil || !errors.Is(err, usererr.ErrBadInput) {
		t.Errorf("Check of an empty directory: %v", err)
	}
}

func TestDownload(t *testing.T) {
	modified := time.Date(2026, 5, 1, 0, 0, 0, 0, time.UTC)
	gets := 0
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/GIT/all.zip" {
			http.NotFound(w, r)
			return
		}
		if ims, err := http.ParseTime(r.Header.Get("If-Modified-Since")); err == nil && !modified.After(ims) {
			w.WriteHeader(http.StatusNotModified)
			return
		}
		gets++
		w.Header().Set("Last-Modified", modified.Format(http.TimeFormat))
		w.Write(zipOf(t, `{"id": "A"}`))
	}))
	defer srv.Close()
	cache := t.TempDir()
	if warnings, err := Download(t.Context(), srv.Client(), srv.URL, cache, []string{"GIT"}); err != nil || len(warnings) != 0 {
		t.Fatalf("Download: %v %v", warnings, err)
	}
	if _, err := Check(cache); err != nil {
		t.Fatalf("the downloaded database does not check: %v", err)
	}
	// A second download finds it unchanged.
	if _, err := Download(t.Context(), srv.Client(), srv.URL, cache, []string{"GIT"}); err != nil || gets != 1 {
		t.Errorf("second Download: %v, %d downloads", err, gets)
	}
	// A database the server lacks fails, naming the host.
	_, err := Download(t.Context(), srv.Client(), srv.URL, cache, []string{"PyPI"})
	host := strings.TrimPrefix(srv.URL, "http://")
	if err == nil || err.Error() != "downloading the OSV database for PyPI from "+host+": the server answered 404 Not Found" {
		t.Errorf("Download of a missing database: %v", err)
	}
	// With the server gone, the cached copy is used, with a warning.
	srv.Close()
	warnings, err := Download(t.Context(), srv.Client(), srv.URL, cache, []string{"GIT"})
	if err != nil || len(warnings) != 1 || !strings.Contains(warnings[0], "using the cached copy") {
		t.Errorf("Download without the server: %v %v", warnings, err)
	}
	if _, err := Download(t.Context(), srv.Client(), srv.URL, t.TempDir(), []string{"GIT"}); err == nil || !strings.Contains(err.Error(), "from "+host+": ") || strings.Contains(err.Error(), "\n") {
		t.Errorf("Download without the server or a cache: %v", err)
	}
}
