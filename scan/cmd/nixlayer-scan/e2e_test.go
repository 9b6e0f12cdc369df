package main

import (
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/nixlayer/nixlayer/internal/kind"
	"github.com/nixlayer/nixlayer/internal/nix"
	"github.com/nixlayer/nixlayer/internal/pipeline"
	"github.com/nixlayer/nixlayer/internal/platform"
	"github.com/nixlayer/nixlayer/internal/sbom"
	"github.com/nixlayer/nixlayer/internal/scanner"
	"github.com/nixlayer/nixlayer/internal/selection"
	"github.com/nixlayer/nixlayer/internal/testenv"
	nixflake "github.com/nixlayer/nixlayer/nix"
	"github.com/nixlayer/nixlayer/scan/internal/imagefile"
	"github.com/nixlayer/nixlayer/scan/internal/scantest"
)

// The image the end-to-end test builds: a runtime image whose closure has
// a source of each shape nixpkgs' fetchers leave (see scantest's universe
// records): zlib (a release asset) and xz (structured attributes) only as
// dependencies of python3 (a vendor site's release), coreutils (a GNU
// mirror), shadow (fetchFromGitHub with a tag, and a CVE patch), git
// (structured) with p11-kit (fetchgit) as a dependency, bash (upstream's
// patch series), pip with its dist-info and shfmt, a Go program.
const (
	e2eSets     = "base,python"
	e2ePackages = "shadow,python312Packages.pip,shfmt,git"
)

// TestUniverseImage builds a runtime image of the test universe with the
// nixlayer CLI and scans it against the planted database: exactly the
// planted findings, on the universe's own store paths.
func TestUniverseImage(t *testing.T) {
	universe := testenv.Universe(t)
	testenv.Require(t, "go")
	store, nixEnv := testenv.SharedNixEnv(t)
	root := repoRoot(t)
	work := t.TempDir()

	bin := filepath.Join(work, "nixlayer")
	if out, err := exec.Command("go", "build", "-C", root, "-o", bin, "./cmd/nixlayer").CombinedOutput(); err != nil {
		t.Fatalf("building the nixlayer CLI: %v\n%s", err, out)
	}
	archive := filepath.Join(work, "runtime.tar")
	cmd := exec.Command(bin, "build", "runtime", "--sets", e2eSets, "--packages", e2ePackages, "-o", archive, "-q")
	cmd.Env = append(os.Environ(), nixEnv...)
	cmd.Env = append(cmd.Env, "NIXLAYER_NIXPKGS="+universe, "NIXLAYER_STORE="+store, "NIXLAYER_CACHE="+filepath.Join(work, "cache"))
	cmd.Dir = work
	start := time.Now()
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("nixlayer build: %v\n%s", err, out)
	}
	t.Logf("built %s in %v", archive, time.Since(start).Round(time.Millisecond))

	// The SBOM of the same build, from the same store: what the image
	// carries.
	want := universeSBOM(t, store, nixEnv, universe)
	// Two builds give the same SBOM bytes.
	first, err := want.Encode()
	if err != nil {
		t.Fatal(err)
	}
	if again, err := universeSBOM(t, store, nixEnv, universe).Encode(); err != nil || string(again) != string(first) {
		t.Errorf("two builds of the same request gave different SBOMs (%v)", err)
	}
	args := []string{"--db", scantest.Database(t, scantest.UniverseRecords), "--format", "json", "--fail-on", "HIGH", archive}
	img, err := imagefile.Open(archive, t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	defer img.Close()
	data, err := img.SBOM()
	if err != nil {
		t.Fatalf("the image's SBOM: %v", err)
	}
	carried, err := sbom.Decode(data)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(want.Components, carried.Components); diff != "" {
		t.Errorf("the image's SBOM differs from the build's (-build +image):\n%s", diff)
	}

	start = time.Now()
	r := runScan(t, args...)
	t.Logf("scanned in %v", time.Since(start).Round(time.Millisecond))
	if r.code != 1 {
		t.Fatalf("exit %d, want 1; stderr:\n%s", r.code, r.stderr)
	}
	// Exactly the planted findings: one for each shape, none for the
	// fixed releases (ZlibOtherTag, CPythonFixed, GitFixed).
	wantIDs := map[string]string{
		scantest.ZlibGit:     "counted",
		scantest.CPython:     "counted",
		scantest.Coreutils:   "counted",
		scantest.ShadowOther: "counted",
		scantest.P11Kit:      "counted",
		scantest.Git:         "counted",
		scantest.XZ:          "counted",
		scantest.GoText:      "counted",
		scantest.Pip:         "counted",
		scantest.ZlibZero:    "low confidence",
		scantest.Bash:        "low confidence",
		scantest.Shadow:      "suppressed: patched by shadow-CVE-2023-29383.patch",
	}
	if diff := cmp.Diff(wantIDs, reportIDs(t, []byte(r.stdout))); diff != "" {
		t.Errorf("findings (-want +got):\n%s", diff)
	}

	// nixlayer scan runs this scanner: on the archive, and on an image it
	// builds itself, with the same findings.
	scanner := filepath.Join(work, "nixlayer-scan")
	if out, err := exec.Command("go", "build", "-o", scanner, ".").CombinedOutput(); err != nil {
		t.Fatalf("building nixlayer-scan: %v\n%s", err, out)
	}
	db := args[1]
	for _, cliArgs := range [][]string{
		{"scan", archive, "--db", db, "--format", "json"},
		{"scan", "--kind", "runtime", "--sets", e2eSets, "--packages", e2ePackages, "-q", "--db", db, "--format", "json"},
	} {
		cmd := exec.Command(bin, cliArgs...)
		cmd.Env = append(os.Environ(), nixEnv...)
		cmd.Env = append(cmd.Env, "NIXLAYER_NIXPKGS="+universe, "NIXLAYER_STORE="+store, "NIXLAYER_CACHE="+filepath.Join(work, "cache"), "NIXLAYER_SCANNER="+scanner)
		cmd.Dir = work
		out, err := cmd.Output()
		ee, _ := errors.AsType[*exec.ExitError](err)
		if ee == nil || ee.ExitCode() != 1 {
			t.Errorf("nixlayer %v: %v, want exit status 1", cliArgs, err)
			continue
		}
		if diff := cmp.Diff(wantIDs, reportIDs(t, out)); diff != "" {
			t.Errorf("nixlayer %v: findings (-want +got):\n%s", cliArgs, diff)
		}
	}
	// Each finding is on the universe's store path for it, and zlib is a
	// dependency no one asked for.
	paths := map[string]sbom.Component{}
	for _, c := range want.Components {
		paths[c.Path] = c
	}
	for _, f := range findingsOf(t, []byte(r.stdout)) {
		c, ok := paths[f.StorePath]
		if !ok {
			t.Errorf("%s: store path %s is not in the image's closure", f.ID, f.StorePath)
			continue
		}
		wantName := map[string]string{scantest.ZlibGit: "zlib1g", scantest.ZlibZero: "zlib1g", scantest.GoText: "shfmt", scantest.Pip: "pip",
			scantest.Shadow: "shadow", scantest.ShadowOther: "shadow", scantest.CPython: "python3", scantest.Coreutils: "coreutils",
			scantest.P11Kit: "libp11-kit0", scantest.Git: "git", scantest.XZ: "liblzma5", scantest.Bash: "bash"}[f.ID]
		if c.Name != wantName {
			t.Errorf("%s is on %s (%s), want the %s store path", f.ID, f.StorePath, c.Name, wantName)
		}
		if (c.Name == "zlib1g" || c.Name == "liblzma5" || c.Name == "libp11-kit0") && len(c.Attrs) != 0 {
			t.Errorf("%s is a requested attribute (%v); the test needs it as a dependency", c.Name, c.Attrs)
		}
	}
}

// universeSBOM makes the SBOM of the test image's build: the same request
// as nixlayer build, planned and built again in the same store (where it
// is all built already).
func universeSBOM(t *testing.T, store string, env []string, universe string) *sbom.Document {
	t.Helper()
	d := &nix.Driver{Store: store, Env: env, FlakeArgs: []string{"--override-input", "nixpkgs", "path:" + universe}}
	sel, req, err := selection.Select(e2eSets, strings.Split(e2ePackages, ","), nil, platform.HostSystem())
	if err != nil {
		t.Fatal(err)
	}
	req.Attrs = kind.Runtime.WithRequired(req.Attrs)
	res, err := pipeline.Run(t.Context(), d, nixflake.Files, req, t.TempDir())
	if err != nil {
		t.Fatal(err)
	}
	drvs, err := d.Derivations(t.Context(), res.Plan.Derivations()...)
	if err != nil {
		t.Fatal(err)
	}
	doc, err := sbom.New(sbom.Meta{Kind: string(kind.Runtime), Sets: sel.Sets, System: req.System, Epoch: time.Unix(1, 0)}, res.Closure, drvs, res.Plan)
	if err != nil {
		t.Fatal(err)
	}
	return doc
}

type reportedFinding struct{ ID, StorePath string }

func findingsOf(t *testing.T, data []byte) []reportedFinding {
	t.Helper()
	var r scanner.Report
	if err := jsonUnmarshal(data, &r); err != nil {
		t.Fatal(err)
	}
	var out []reportedFinding
	for _, f := range r.Findings {
		out = append(out, reportedFinding{f.ID, f.Package.StorePath})
	}
	return out
}

// repoRoot is the root module's directory.
func repoRoot(t *testing.T) string {
	t.Helper()
	_, file, _, _ := runtime.Caller(0)
	root := filepath.Join(filepath.Dir(file), "..", "..", "..")
	if _, err := os.Stat(filepath.Join(root, "cmd", "nixlayer")); err != nil {
		t.Fatal(err)
	}
	return root
}
