package scantest

import (
	"archive/tar"
	"archive/zip"
	"bytes"
	"io"
	"os"
	"path/filepath"
	"sort"
	"testing"

	v1 "github.com/google/go-containerregistry/pkg/v1"
	"github.com/google/go-containerregistry/pkg/v1/empty"
	"github.com/google/go-containerregistry/pkg/v1/mutate"
	"github.com/google/go-containerregistry/pkg/v1/tarball"
)

// The sources the records name: zlib (a dependency) and shadow, at their
// tags; libssh2 at a commit, made up.
const (
	ZlibRepo     = "https://github.com/madler/zlib"
	ZlibTag      = "v1.2.13"
	ShadowRepo   = "https://github.com/shadow-maint/shadow"
	ShadowTag    = "4.13"
	LibsshRepo   = "https://github.com/libssh2/libssh2"
	LibsshCommit = "0123456789abcdef0123456789abcdef01234567"
)

// The planted records' IDs.
const (
	// ZlibGit is a bounded GIT range for zlib's repository listing its tag.
	ZlibGit = "TEST-ZLIB-GIT"
	// ZlibZero is an "introduced: 0" GIT range listing zlib's tag, whose
	// version range excludes the universe's zlib version.
	ZlibZero = "TEST-ZLIB-ZERO"
	// ZlibOtherTag lists another tag only: it must not match.
	ZlibOtherTag = "TEST-ZLIB-OTHER-TAG"
	// ZlibByName names zlib1g in no ecosystem nixlayer matches: no
	// name-only match may come of it.
	ZlibByName = "TEST-ZLIB-BY-NAME"
	// GoText is a Go module record for golang.org/x/text before 0.3.8.
	GoText = "TEST-GO-TEXT"
	// Pip is a PyPI record for pip before 25.0.
	Pip = "TEST-PYPI-PIP"
	// Shadow is shadow's GIT range, aliased to the CVE that the universe's
	// shadow patches.
	Shadow    = "TEST-SHADOW"
	ShadowCVE = "CVE-2023-29383"
)

// Records are the planted OSV records, by ecosystem database.
var Records = map[string][]string{
	"GIT": {
		`{"id": "` + ZlibGit + `", "modified": "2026-01-01T00:00:00Z", "summary": "zlib: a planted bounded GIT range",
		  "severity": [{"type": "CVSS_V3", "score": "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H"}],
		  "affected": [{"ranges": [{"type": "GIT", "repo": "` + ZlibRepo + `", "events": [
		      {"introduced": "cacf7f1d4e3d44d871b605da3b647f07d718623f"}, {"fixed": "e554695638228b846d49657f31eeff0ca4680e8a"}]}],
		    "versions": ["v1.2.12", "` + ZlibTag + `"]}]}`,
		`{"id": "` + ZlibZero + `", "modified": "2026-01-01T00:00:00Z", "summary": "zlib: a planted introduced-0 GIT range",
		  "severity": [{"type": "CVSS_V3", "score": "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H"}],
		  "affected": [{"ranges": [{"type": "GIT", "repo": "` + ZlibRepo + `", "events": [
		      {"introduced": "0"}, {"fixed": "21767c654d31d2dccdde4330529775c6c5fd5389"}]}],
		    "versions": ["v1.2.11", "v1.2.12", "` + ZlibTag + `"],
		    "database_specific": {"unresolved_ranges": [{"type": "ECOSYSTEM", "events": [{"introduced": "1.2.0"}, {"fixed": "1.2.12"}]}]}}]}`,
		`{"id": "` + ZlibOtherTag + `", "modified": "2026-01-01T00:00:00Z", "summary": "zlib: another tag only",
		  "affected": [{"ranges": [{"type": "GIT", "repo": "` + ZlibRepo + `", "events": [
		      {"introduced": "0"}, {"fixed": "51b7f2abdade71cd9bb0e7a373ef2610ec6f9daf"}]}], "versions": ["v1.3"]}]}`,
		`{"id": "` + Shadow + `", "modified": "2026-01-01T00:00:00Z", "aliases": ["` + ShadowCVE + `"], "summary": "shadow: control characters in GECOS",
		  "severity": [{"type": "CVSS_V3", "score": "CVSS:3.1/AV:L/AC:L/PR:L/UI:N/S:U/C:N/I:L/A:N"}],
		  "affected": [{"ranges": [{"type": "GIT", "repo": "` + ShadowRepo + `", "events": [
		      {"introduced": "0"}, {"fixed": "e5905c4b84d4fb90aefcd96ee618411ebfac663d"}]}], "versions": ["4.12", "` + ShadowTag + `"]}]}`,
	},
	"Debian": {
		`{"id": "` + ZlibByName + `", "modified": "2026-01-01T00:00:00Z", "summary": "zlib1g by name",
		  "affected": [{"package": {"ecosystem": "Debian:12", "name": "zlib1g"}, "ranges": [{"type": "ECOSYSTEM", "events": [{"introduced": "0"}]}]}]}`,
	},
	"Go": {
		`{"id": "` + GoText + `", "modified": "2026-01-01T00:00:00Z", "aliases": ["CVE-2022-32149"], "summary": "golang.org/x/text: a planted Go record",
		  "severity": [{"type": "CVSS_V3", "score": "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:N/I:N/A:H"}],
		  "affected": [{"package": {"ecosystem": "Go", "name": "golang.org/x/text"},
		    "ranges": [{"type": "SEMVER", "events": [{"introduced": "0"}, {"fixed": "0.3.8"}]}]}]}`,
	},
	"PyPI": {
		`{"id": "` + Pip + `", "modified": "2026-01-01T00:00:00Z", "summary": "pip: a planted PyPI record",
		  "affected": [{"package": {"ecosystem": "PyPI", "name": "pip"},
		    "ranges": [{"type": "ECOSYSTEM", "events": [{"introduced": "0"}, {"fixed": "25.0"}]}]}],
		  "database_specific": {"severity": "MODERATE"}}`,
	},
	"npm":       {},
	"crates.io": {},
}

// Database writes records (by ecosystem) into a new directory in the
// osv-scalibr/<Ecosystem>/all.zip layout and returns the directory.
func Database(t testing.TB, records map[string][]string) string {
	t.Helper()
	dir := t.TempDir()
	for eco, recs := range records {
		var b bytes.Buffer
		zw := zip.NewWriter(&b)
		for i, r := range recs {
			w, err := zw.Create(eco + "-" + string(rune('a'+i)) + ".json")
			if err != nil {
				t.Fatal(err)
			}
			if _, err := w.Write([]byte(r)); err != nil {
				t.Fatal(err)
			}
		}
		if err := zw.Close(); err != nil {
			t.Fatal(err)
		}
		WriteFile(t, filepath.Join(dir, "osv-scalibr", eco, "all.zip"), b.Bytes(), 0o644)
	}
	return dir
}

// WriteFile writes data to file, making its directory.
func WriteFile(t testing.TB, file string, data []byte, mode os.FileMode) {
	t.Helper()
	if err := os.MkdirAll(filepath.Dir(file), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(file, data, mode); err != nil {
		t.Fatal(err)
	}
}

// Image is a synthetic single-layer image holding files (path without the
// leading slash → content; a content whose path ends in "/bin/…" is
// executable), with labels.
func Image(t testing.TB, files map[string][]byte, labels map[string]string) v1.Image {
	t.Helper()
	var b bytes.Buffer
	tw := tar.NewWriter(&b)
	names := make([]string, 0, len(files))
	for n := range files {
		names = append(names, n)
	}
	sort.Strings(names)
	dirs := map[string]bool{}
	for _, n := range names {
		for d := filepath.Dir(n); d != "." && !dirs[d]; d = filepath.Dir(d) {
			dirs[d] = true
		}
	}
	dirList := make([]string, 0, len(dirs))
	for d := range dirs {
		dirList = append(dirList, d)
	}
	sort.Strings(dirList)
	for _, d := range dirList {
		if err := tw.WriteHeader(&tar.Header{Name: d + "/", Typeflag: tar.TypeDir, Mode: 0o555}); err != nil {
			t.Fatal(err)
		}
	}
	for _, n := range names {
		mode := int64(0o444)
		if filepath.Base(filepath.Dir(n)) == "bin" {
			mode = 0o555
		}
		if err := tw.WriteHeader(&tar.Header{Name: n, Typeflag: tar.TypeReg, Mode: mode, Size: int64(len(files[n]))}); err != nil {
			t.Fatal(err)
		}
		if _, err := tw.Write(files[n]); err != nil {
			t.Fatal(err)
		}
	}
	if err := tw.Close(); err != nil {
		t.Fatal(err)
	}
	data := b.Bytes()
	layer, err := tarball.LayerFromOpener(func() (io.ReadCloser, error) { return io.NopCloser(bytes.NewReader(data)), nil })
	if err != nil {
		t.Fatal(err)
	}
	img, err := mutate.AppendLayers(empty.Image, layer)
	if err != nil {
		t.Fatal(err)
	}
	cfg, err := img.ConfigFile()
	if err != nil {
		t.Fatal(err)
	}
	cfg = cfg.DeepCopy()
	cfg.OS, cfg.Architecture = "linux", "amd64"
	cfg.Config.Labels = labels
	img, err = mutate.ConfigFile(img, cfg)
	if err != nil {
		t.Fatal(err)
	}
	return img
}
