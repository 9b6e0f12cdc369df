package main

import (
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/nixlayer/nixlayer/internal/container"
	"github.com/nixlayer/nixlayer/internal/sets"
	"github.com/nixlayer/nixlayer/internal/testenv"
)

var update = flag.Bool("update", false, "rewrite golden files")

// cli runs nixlayer in-process and returns its exit status and output.
func cli(t testing.TB, args ...string) (int, string, string) {
	t.Helper()
	var stdout, stderr bytes.Buffer
	code := run(context.Background(), args, &stdout, &stderr)
	return code, stdout.String(), stderr.String()
}

func writeFile(t *testing.T, dir, name, data string) string {
	t.Helper()
	p := filepath.Join(dir, name)
	if err := os.WriteFile(p, []byte(data), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

func TestBadInput(t *testing.T) {
	t.Chdir(t.TempDir()) // no nixlayer.yaml here
	dir := t.TempDir()
	badYAML := writeFile(t, dir, "bad.yaml", "sets:\n  mine:\n    attrs: [hello]\n    colour: blue\n")
	builtin := writeFile(t, dir, "builtin.yaml", "sets:\n  python:\n    attrs: [hello]\n")
	emptyPath := t.TempDir()
	otherLayout := t.TempDir()
	writeFile(t, otherLayout, "oci-layout", `{"imageLayoutVersion":"1.0.0"}`)
	writeFile(t, otherLayout, "index.json", `{"schemaVersion":2,"manifests":[{"mediaType":"application/vnd.oci.image.manifest.v1+json","digest":"sha256:`+strings.Repeat("a", 64)+`","size":1,"annotations":{"org.opencontainers.image.ref.name":"ghcr.io/acme/app:1"}}]}`)

	tests := []struct {
		name    string
		args    []string
		path    string // PATH, when set
		wantErr string
	}{
		{"unknown set", []string{"closure", "--sets", "base,pyhton"}, "",
			`nixlayer: unknown set "pyhton" (did you mean "python"?); known sets: base, vscodeCompat, devTools, nixTools, python, pythonDev, node, nodeDev, go, goDev, rust, rustDev, bash, java, javaDev, cobol, cobolDev`},
		{"empty sets", []string{"closure", "--sets", " , "}, "",
			`nixlayer: parsing set spec " , ": it has an empty set name; separate set names with single commas, such as "base,python"`},
		{"empty sets in a build", []string{"build", "runtime", "--sets", "", "-o", "x.tar"}, "",
			`nixlayer: --sets is empty; omit it for the runtime image's default sets (base), or list sets, such as --sets base,python`},
		{"a trailing comma", []string{"build", "runtime", "--sets", "base,", "-o", "x.tar"}, "",
			`nixlayer: parsing set spec "base,": it has an empty set name; separate set names with single commas, such as "base,python"`},
		{"two commas", []string{"build", "devcontainer", "--sets", "base,,python", "-o", "x.tar"}, "",
			`nixlayer: parsing set spec "base,,python": it has an empty set name; separate set names with single commas, such as "base,python"`},
		{"a trailing comma in a closure", []string{"closure", "--sets", "base,"}, "",
			`nixlayer: parsing set spec "base,": it has an empty set name; separate set names with single commas, such as "base,python"`},
		{"an unknown system", []string{"build", "runtime", "--system", "foo", "-o", "x.tar"}, "",
			`nixlayer: unsupported platform "foo"; nixlayer builds for linux/amd64 and linux/arm64 (Nix systems x86_64-linux and aarch64-linux)`},
		{"an unknown platform", []string{"closure", "--sets", "base", "--platform", "linux/s390x"}, "",
			`nixlayer: unsupported platform "linux/s390x"; nixlayer builds for linux/amd64 and linux/arm64 (Nix systems x86_64-linux and aarch64-linux)`},
		{"an unknown platform in a list", []string{"build", "runtime", "--platforms", "linux/amd64,windows/amd64", "--oci-layout", "out"}, "",
			`nixlayer: unsupported platform "windows/amd64"; nixlayer builds for linux/amd64 and linux/arm64 (Nix systems x86_64-linux and aarch64-linux)`},
		{"an archive of two platforms", []string{"build", "runtime", "--platforms", "linux/amd64,linux/arm64", "-o", "x.tar"}, "",
			`nixlayer: -o writes an archive of one image; for 2 platforms, write an image index with --oci-layout`},
		{"-o names a directory", []string{"build", "runtime", "-o", dir}, "",
			"nixlayer: -o " + dir + ": it is a directory; give the path of the archive file, such as " + filepath.Join(dir, "image.tar")},
		{"--oci-layout names a file", []string{"build", "runtime", "--oci-layout", badYAML}, "",
			"nixlayer: --oci-layout " + badYAML + ": it exists and is not a directory"},
		{"--oci-layout names a directory that is not a layout", []string{"build", "runtime", "--oci-layout", dir}, "",
			"nixlayer: --oci-layout " + dir + ": refusing to replace a directory that is not an image layout"},
		{"-o and --oci-layout on one path", []string{"build", "runtime", "-o", filepath.Join(dir, "out"), "--oci-layout", filepath.Join(dir, "out")}, "",
			"nixlayer: -o and --oci-layout name the same path, " + filepath.Join(dir, "out") + ": give each its own"},
		{"--oci-layout holds another image", []string{"build", "runtime", "--oci-layout", otherLayout}, "",
			"nixlayer: --oci-layout " + otherLayout + ": it holds ghcr.io/acme/app:1, which writing nixlayer/runtime:latest would drop; give another directory, or the same --tag"},
		{"--cache is a file", []string{"build", "runtime", "-o", "x.tar", "--cache", badYAML}, "",
			"nixlayer: --cache " + badYAML + ": it exists and is not a directory"},
		{"--cache under a file", []string{"build", "runtime", "-o", "x.tar", "--cache", filepath.Join(badYAML, "cache")}, "",
			"nixlayer: --cache " + filepath.Join(badYAML, "cache") + ": cannot make it: not a directory"},
		{"publish without an address", []string{"publish", "runtime"}, "",
			`nixlayer: publishing: address "" is not an image reference, such as ghcr.io/acme/app/runtime:2026-11-22`},
		{"publish without images", []string{"publish", "--address", "localhost:5000/app:1"}, "",
			`nixlayer: nixlayer publish needs a kind of image to build, or --oci-layout DIR`},
		{"publish of a kind and a layout", []string{"publish", "runtime", "--oci-layout", dir, "--address", "localhost:5000/app:1"}, "",
			`nixlayer: give a kind of image to build, or --oci-layout, not both`},
		{"publish of a directory that is not a layout", []string{"publish", "--oci-layout", dir, "--address", "localhost:5000/app:1"}, "",
			"nixlayer: reading the OCI layout " + dir + ": it is not an OCI image layout (no index.json)"},
		{"index without layouts", []string{"index", "--oci-layout", "out"}, "",
			`nixlayer: nixlayer index takes the OCI layouts to merge`},
		{"no sets flag", []string{"closure"}, "",
			`nixlayer: --sets is required, such as --sets base,python (nixlayer sets lists them)`},
		{"invalid attribute", []string{"closure", "--sets", "base", "--packages", "foo bar"}, "",
			`nixlayer: invalid attribute path "foo bar" from --packages: character ' ' is not allowed (use letters, digits, _, ' and -)`},
		{"unknown key in project", []string{"closure", "--sets", "base", "--project", badYAML}, "",
			"nixlayer: " + badYAML + `:4: unknown key "colour" in sets.mine; expected description, attrs, extensions or settings`},
		{"project redefines a built-in set", []string{"sets", "--project", builtin}, "",
			"nixlayer: " + builtin + `:2: set "python" is built in; choose another name`},
		{"missing project file", []string{"sets", "--project", filepath.Join(dir, "none.yaml")}, "", ""},
		{"unknown command", []string{"frob"}, "", `nixlayer: unknown command "frob" for "nixlayer"`},
		{"unknown flag", []string{"sets", "--colour"}, "", `nixlayer: unknown flag: --colour`},
		{"unknown image kind", []string{"build", "vm", "-o", "x.tar"}, "",
			`nixlayer: unknown kind of image "vm"; nixlayer builds devcontainer and runtime`},
		{"no image kind", []string{"build", "-o", "x.tar"}, "",
			`nixlayer: nixlayer build takes one kind: devcontainer or runtime`},
		{"no output", []string{"build", "runtime"}, "",
			`nixlayer: nixlayer build needs -o FILE, --oci-layout DIR, or both`},
		{"sudo in a runtime image", []string{"build", "runtime", "--packages", "sudo", "-o", "x.tar"}, "",
			`nixlayer: a runtime image cannot hold "sudo" (from --packages)`},
		{"Nix in a runtime image", []string{"build", "runtime", "--sets", "base,nixTools", "-o", "x.tar"}, "",
			`nixlayer: a runtime image cannot hold "nix" (from nixTools)`},
		{"unknown set in a build", []string{"build", "devcontainer", "--sets", "base,pyhton", "-o", "x.tar"}, "",
			`nixlayer: unknown set "pyhton" (did you mean "python"?); known sets: base, vscodeCompat, devTools, nixTools, python, pythonDev, node, nodeDev, go, goDev, rust, rustDev, bash, java, javaDev, cobol, cobolDev`},
		{"bad tag", []string{"build", "runtime", "-o", "x.tar", "--tag", "Not A Ref"}, "", ""},
		{"output in a missing directory", []string{"build", "runtime", "-o", filepath.Join(dir, "none", "x.tar")}, "",
			"nixlayer: -o " + filepath.Join(dir, "none", "x.tar") + ": the directory " + filepath.Join(dir, "none") + " does not exist"},
		{"nix not installed", []string{"closure", "--sets", "base"}, emptyPath,
			`nixlayer: nix is not installed (looked for "nix" in PATH): install it with "apt-get install nix-bin" or see https://nixos.org/download`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if tt.path != "" {
				t.Setenv("PATH", tt.path)
			}
			code, stdout, stderr := cli(t, tt.args...)
			if code != exitBadInput {
				t.Errorf("exit status = %d, want %d (stderr %q)", code, exitBadInput, stderr)
			}
			if stdout != "" {
				t.Errorf("stdout = %q, want nothing", stdout)
			}
			if strings.Count(stderr, "\n") != 1 || !strings.HasPrefix(stderr, "nixlayer: ") {
				t.Errorf("stderr = %q, want one line", stderr)
			}
			if tt.wantErr != "" {
				if diff := cmp.Diff(tt.wantErr+"\n", stderr); diff != "" {
					t.Errorf("stderr (-want +got):\n%s", diff)
				}
			}
		})
	}
}

// TestHelperUsage checks that, run as the Dagger module's helper, a bad
// command line (which the module wrote) is a failure, not bad input, while
// the user's bad input is still bad input.
func TestHelperUsage(t *testing.T) {
	t.Chdir(t.TempDir())
	t.Setenv(container.HelperEnv, "1")
	out := filepath.Join(t.TempDir(), "out", "image.tar")
	for _, tt := range []struct {
		args []string
		code int
	}{
		{[]string{"build", "runtime", "-o", out}, exitFailure},
		{[]string{"build", "runtime", "--frob"}, exitFailure},
		{[]string{"build", "runtime", "--sets", "base,pyhton", "-o", "x.tar"}, exitBadInput},
		{[]string{"closure", "--sets", "base", "--packages", "foo bar"}, exitBadInput},
	} {
		code, stdout, stderr := cli(t, tt.args...)
		if code != tt.code || stdout != "" || strings.Count(stderr, "\n") != 1 {
			t.Errorf("%v: exit status %d, stderr %q; want %d and one line", tt.args, code, stderr, tt.code)
		}
	}
}

func TestBadSourceDateEpoch(t *testing.T) {
	t.Chdir(t.TempDir())
	for _, v := range []string{"yesterday", "-5", "0"} {
		t.Setenv("SOURCE_DATE_EPOCH", v)
		code, stdout, stderr := cli(t, "build", "runtime", "-o", "x.tar")
		want := `nixlayer: SOURCE_DATE_EPOCH="` + v + `": want a positive number of seconds since 1970` + "\n"
		if code != exitBadInput || stdout != "" || stderr != want {
			t.Errorf("SOURCE_DATE_EPOCH=%s: exit status %d, stderr %q; want %d, %q", v, code, stderr, exitBadInput, want)
		}
	}
}

func TestSets(t *testing.T) {
	golden, err := filepath.Abs(filepath.Join("testdata", "sets.golden"))
	if err != nil {
		t.Fatal(err)
	}
	t.Chdir(t.TempDir())
	code, stdout, stderr := cli(t, "sets")
	if code != exitOK {
		t.Fatalf("exit status %d: %s", code, stderr)
	}
	if *update {
		if err := os.WriteFile(golden, []byte(stdout), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(golden)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(string(want), stdout); diff != "" {
		t.Errorf("nixlayer sets (-want +got):\n%s", diff)
	}

	code, stdout, stderr = cli(t, "sets", "--json")
	if code != exitOK {
		t.Fatalf("sets --json: exit status %d: %s", code, stderr)
	}
	var got []sets.Set
	if err := json.Unmarshal([]byte(stdout), &got); err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, s := range got {
		names = append(names, s.Name)
	}
	wantNames := []string{"base", "vscodeCompat", "devTools", "nixTools", "python", "pythonDev", "node", "nodeDev", "go", "goDev", "rust", "rustDev", "bash", "java", "javaDev", "cobol", "cobolDev"}
	if diff := cmp.Diff(wantNames, names); diff != "" {
		t.Errorf("sets --json names (-want +got):\n%s", diff)
	}
}

func TestSetsWithProject(t *testing.T) {
	dir := t.TempDir()
	t.Chdir(dir)
	writeFile(t, dir, "nixlayer.yaml", "sets:\n  dataTools:\n    description: Tools the data team uses.\n    attrs: [jq, python312]\n")
	code, stdout, stderr := cli(t, "sets")
	if code != exitOK {
		t.Fatalf("exit status %d: %s", code, stderr)
	}
	if !regexp.MustCompile(`(?m)^dataTools +Tools the data team uses\.\n +jq python312$`).MatchString(stdout) {
		t.Errorf("sets does not list the project's set from ./nixlayer.yaml:\n%s", stdout)
	}
}

// TestUnreachable checks that a nixpkgs Nix cannot download is a failure
// (exit 1), not bad input, with one line that names the host and says how
// to build offline.
func TestUnreachable(t *testing.T) {
	store, env := testenv.NixEnv(t)
	for _, kv := range env {
		k, v, _ := strings.Cut(kv, "=")
		t.Setenv(k, v)
	}
	t.Chdir(t.TempDir())
	code, stdout, stderr := cli(t, "closure", "--sets", "base", "--store", store, "-q", "--nixpkgs", "https://nixpkgs.invalid/nixpkgs.tar.gz")
	if code != exitFailure || stdout != "" || strings.Count(stderr, "\n") != 1 ||
		!strings.Contains(stderr, "cannot reach nixpkgs.invalid") || !strings.Contains(stderr, "--nixpkgs DIR") {
		t.Errorf("exit status %d, stderr %q; want 1 and one line naming the host and --nixpkgs", code, stderr)
	}
}
