// Package updatetest makes what the tests of a nixpkgs update need: two
// revisions of the test universe in a git repository, whose second
// revision plants known changes, and a copy of nixlayer's flake whose
// nixpkgs input follows a branch of that repository and is locked at the
// first revision.
//
//	u := updatetest.NewUniverse(t)          // git repository, branch nixos-26.05-small at Rev2
//	dir := updatetest.Flake(t, d, u)        // nix/, locked at Rev1
//	// nixlayer update-nixpkgs --flake dir moves the lock to Rev2
package updatetest

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"testing"

	"github.com/nixlayer/nixlayer/internal/flakeinput"
	"github.com/nixlayer/nixlayer/internal/nix"
	"github.com/nixlayer/nixlayer/internal/testenv"
)

// Branch is the release branch that the flake's input follows, and
// NewerBranch the newer release that the repository also has.
const (
	Branch      = "nixos-26.05-small"
	NewerBranch = "nixos-26.11-small"
)

// Edit is a targeted change of one file of the universe.
type Edit struct{ File, Old, New string }

// batsLine is the universe's bats attribute, which the first revision
// lacks and the second brings back. Like nixpkgs' bats, its source is
// fetchFromGitHub with rev = "v${version}": a tag given as rev, with no
// commit, which the scan matches by repository and tag (BatsRepo, BatsTag).
const batsLine = `  bats = standIn { pname = "bats"; version = "1.11.0"; src = gh { owner = "bats-core"; repo = "bats-core"; rev = "` + BatsTag + `"; }; };` + "\n"

// The source of bats, as the SBOM names it and OSV's GIT ranges match it,
// so that a vulnerability planted for it is one that the update introduces
// (and that moving back fixes).
const (
	BatsRepo = "https://github.com/bats-core/bats-core"
	BatsTag  = "v1.11.0"
)

// Rev1 makes the first revision from testdata/universe: procps gets a
// version in OpenSSL's old style, and the catalog attribute bats is
// missing.
var Rev1 = []Edit{
	{"standins.nix", `pname = "procps"; version = "4.0.4";`, `pname = "procps"; version = "1.1.1w";`},
	{"standins.nix", batsLine, ""},
}

// Rev2 makes the second revision from the first: a patch, a minor and a
// major version bump, a change that is not semver, bats back (see
// batsLine), and a bigger go.
var Rev2 = []Edit{
	{"standins.nix", `pname = "ripgrep"; version = "14.1.1";`, `pname = "ripgrep"; version = "14.1.2";`},
	{"standins.nix", `pname = "fzf"; version = "0.56.3";`, `pname = "fzf"; version = "0.57.0";`},
	{"standins.nix", `pname = "eslint"; version = "9.14.0";`, `pname = "eslint"; version = "10.0.0";`},
	{"standins.nix", `pname = "procps"; version = "1.1.1w";`, `pname = "procps"; version = "1.1.1x";`},
	{"standins.nix", `  shfmt = standIn {`, batsLine + `  shfmt = standIn {`},
	{"standins.nix", `bins = [ "go" "gofmt" ];
    sizeMiB = 24;`, `bins = [ "go" "gofmt" ];
    sizeMiB = ` + GoGrownMiB + `;`},
}

// GoGrownMiB is go's payload at the second revision, in MiB; it is 24 at
// the first.
const GoGrownMiB = "28"

// Universe is the git repository of the two revisions.
type Universe struct {
	// Dir is the repository, whose branches Branch and NewerBranch are
	// at Rev2.
	Dir        string
	Rev1, Rev2 string
}

// URL is the flake URL of branch in the repository.
func (u *Universe) URL(branch string) string {
	return "git+file://" + u.Dir + "?ref=" + branch
}

var (
	once     sync.Once
	shared   *Universe
	setupErr string
)

// NewUniverse returns the repository of the two revisions, made from
// testdata/universe with its git-ignored inputs. Like the shared test
// store, it outlives the run, under the temporary directory, in a
// directory named after the content it is made of, so that later runs
// (and the test binaries of other packages) reuse it; the commits have
// fixed dates, so the same content gives the same revisions. It skips or
// fails as testenv.Universe does, and needs git.
func NewUniverse(t testing.TB) *Universe {
	t.Helper()
	src := testenv.Universe(t)
	testenv.Require(t, "git")
	once.Do(func() { shared, setupErr = reuseOrBuild(src) })
	if setupErr != "" {
		t.Fatal(setupErr)
	}
	return shared
}

// revsFile, in the repository, records its two revisions once it is
// complete.
const revsFile = ".git/nixlayer-revisions"

// reuseOrBuild returns the repository for src's content, building it when
// no earlier run did.
func reuseOrBuild(src string) (*Universe, string) {
	key, err := contentKey(src)
	if err != nil {
		return nil, "hashing the universe: " + err.Error()
	}
	dir := filepath.Join(os.TempDir(), "nixlayer-universe-git-"+key)
	if u, ok := reuse(dir); ok {
		return u, ""
	}
	tmp, err := os.MkdirTemp(os.TempDir(), "nixlayer-universe-git-tmp-")
	if err != nil {
		return nil, err.Error()
	}
	defer os.RemoveAll(tmp)
	u, msg := build(src, filepath.Join(tmp, "repo"))
	if msg != "" {
		return nil, msg
	}
	if err := os.WriteFile(filepath.Join(u.Dir, revsFile), []byte(u.Rev1+" "+u.Rev2+"\n"), 0o644); err != nil {
		return nil, err.Error()
	}
	// Another test binary may have won the race: then use its copy.
	if err := os.Rename(u.Dir, dir); err != nil {
		if u, ok := reuse(dir); ok {
			return u, ""
		}
		return nil, "moving the repository into place: " + err.Error()
	}
	u.Dir = dir
	return u, ""
}

// reuse returns the complete repository in dir, if there is one.
func reuse(dir string) (*Universe, bool) {
	data, err := os.ReadFile(filepath.Join(dir, revsFile))
	if err != nil {
		return nil, false
	}
	revs := strings.Fields(string(data))
	if len(revs) != 2 {
		return nil, false
	}
	return &Universe{Dir: dir, Rev1: revs[0], Rev2: revs[1]}, true
}

// contentKey hashes the names and contents of src's files, with the
// edits, so that another universe or other edits make another repository.
func contentKey(src string) (string, error) {
	h := sha256.New()
	fmt.Fprintf(h, "%q\n%q\n", Rev1, Rev2)
	err := filepath.WalkDir(src, func(p string, d fs.DirEntry, err error) error {
		if err != nil || !d.Type().IsRegular() {
			return err
		}
		f, err := os.Open(p)
		if err != nil {
			return err
		}
		defer f.Close()
		fmt.Fprintf(h, "%s\n", strings.TrimPrefix(p, src))
		_, err = io.Copy(h, f)
		return err
	})
	return hex.EncodeToString(h.Sum(nil))[:16], err
}

// build makes the repository in dir from src.
func build(src, dir string) (*Universe, string) {
	if err := os.CopyFS(dir, os.DirFS(src)); err != nil {
		return nil, "copying the universe: " + err.Error()
	}
	u := &Universe{Dir: dir}
	steps := []struct {
		edits []Edit
		date  string
		rev   *string
	}{
		{Rev1, "2026-07-08T22:16:59Z", &u.Rev1},
		{Rev2, "2026-07-15T06:30:00Z", &u.Rev2},
	}
	if msg := git(dir, "", "init", "-q", "-b", Branch); msg != "" {
		return nil, msg
	}
	for i, s := range steps {
		for _, e := range s.edits {
			if msg := edit(filepath.Join(dir, e.File), e); msg != "" {
				return nil, msg
			}
		}
		// -f: debs/, bb/ and manifest.json are git-ignored in nixlayer's
		// repository, and the copy has its .gitignore.
		if msg := git(dir, s.date, "add", "-f", "-A", "."); msg != "" {
			return nil, msg
		}
		if msg := git(dir, s.date, "commit", "-q", "-m", "revision "+string(rune('1'+i))); msg != "" {
			return nil, msg
		}
		out, err := exec.Command("git", "-C", dir, "rev-parse", "HEAD").Output()
		if err != nil {
			return nil, "git rev-parse: " + err.Error()
		}
		*s.rev = strings.TrimSpace(string(out))
	}
	if msg := git(dir, "", "branch", NewerBranch); msg != "" {
		return nil, msg
	}
	return u, ""
}

// edit applies e to file, which must hold e.Old once.
func edit(file string, e Edit) string {
	data, err := os.ReadFile(file)
	if err != nil {
		return err.Error()
	}
	if n := strings.Count(string(data), e.Old); n != 1 {
		return fmt.Sprintf("the universe's %s holds %q %d times, not once", e.File, e.Old, n)
	}
	if err := os.WriteFile(file, []byte(strings.Replace(string(data), e.Old, e.New, 1)), 0o644); err != nil {
		return err.Error()
	}
	return ""
}

// git runs git in dir, with date as the author and committer date, and
// returns its failure as a message.
func git(dir, date string, args ...string) string {
	cmd := exec.Command("git", append([]string{"-C", dir, "-c", "user.name=nixlayer", "-c", "user.email=nixlayer@example.com", "-c", "commit.gpgsign=false"}, args...)...)
	cmd.Env = append(os.Environ(), "GIT_CONFIG_GLOBAL=/dev/null", "GIT_CONFIG_SYSTEM=/dev/null")
	if date != "" {
		cmd.Env = append(cmd.Env, "GIT_AUTHOR_DATE="+date, "GIT_COMMITTER_DATE="+date)
	}
	if out, err := cmd.CombinedOutput(); err != nil {
		return "git " + strings.Join(args, " ") + ": " + err.Error() + ": " + string(out)
	}
	return ""
}

// Flake copies nixlayer's flake (the repository's nix/) into a temporary
// directory, points its nixpkgs input at branch Branch of the universe's
// repository, and locks it at Rev1 with d.
func Flake(t testing.TB, d *nix.Driver, u *Universe) string {
	t.Helper()
	_, file, _, _ := runtime.Caller(0)
	src := filepath.Join(filepath.Dir(file), "..", "..", "..", "nix")
	dir := filepath.Join(t.TempDir(), "nix")
	if err := os.CopyFS(dir, os.DirFS(src)); err != nil {
		t.Fatal(err)
	}
	flake := filepath.Join(dir, "flake.nix")
	data, err := os.ReadFile(flake)
	if err != nil {
		t.Fatal(err)
	}
	old, err := flakeinput.InputURL(data, "nixpkgs")
	if err != nil {
		t.Fatal(err)
	}
	data, err = flakeinput.SetInputURL(data, "nixpkgs", old, u.URL(Branch))
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(flake, data, 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.Remove(filepath.Join(dir, "flake.lock")); err != nil {
		t.Fatal(err)
	}
	at, err := flakeinput.WithRev(u.URL(Branch), u.Rev1)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := d.Run(context.Background(), "flake", "lock", "--override-input", "nixpkgs", at, "--", "path:"+dir); err != nil {
		t.Fatalf("locking the flake at the first revision: %v", err)
	}
	return dir
}
