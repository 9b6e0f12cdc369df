package flakeinput

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/nixlayer/nixlayer/internal/testenv"
)

// nixURLs evaluates, for a JSON list of {file, input} in the file named by
// the argument file, what Nix reads as each flake's inputs.<input>.url.
const nixURLs = `{ file }: map (c: (import c.file).inputs.${c.input}.url)
  (builtins.fromJSON (builtins.readFile file))`

// TestNixReadsURL checks with the nix on PATH that every file that
// SetInputURL rewrote, in the golden cases and with URLs that need
// escaping, means what it should: Nix reads the old URL before and the new
// one after.
func TestNixReadsURL(t *testing.T) {
	store, env := testenv.NixEnv(t)
	testenv.Require(t, "nix-instantiate")
	dir := t.TempDir()

	type check struct {
		File  string `json:"file"`
		Input string `json:"input"`
		want  string
	}
	var checks []check
	write := func(name string, data []byte, input, want string) {
		file := filepath.Join(dir, fmt.Sprintf("%d-%s.nix", len(checks), name))
		if err := os.WriteFile(file, data, 0o644); err != nil {
			t.Fatal(err)
		}
		checks = append(checks, check{File: file, Input: input, want: want})
	}
	for _, tc := range cases {
		if tc.refused {
			continue
		}
		src := readInput(t, tc.file)
		newURL, err := WithRef(tc.old, branch)
		if err != nil {
			t.Fatal(err)
		}
		out, err := SetInputURL(src, tc.input, tc.old, newURL)
		if err != nil {
			t.Fatal(err)
		}
		write(tc.name+"-before", src, tc.input, tc.old)
		write(tc.name+"-after", out, tc.input, newURL)
	}
	src := readInput(t, "nested")
	for _, u := range []string{`a"b\c`, "${x}", "$${x}", "$", "a$", "$$", `\${`, "tab\tnew\nline\r", "é", ""} {
		out, err := SetInputURL(src, "nixpkgs", url2605, u)
		if err != nil {
			t.Fatal(err)
		}
		write("encoded", out, "nixpkgs", u)
	}

	list, err := json.Marshal(checks)
	if err != nil {
		t.Fatal(err)
	}
	listFile := filepath.Join(dir, "checks.json")
	if err := os.WriteFile(listFile, list, 0o644); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, "nix-instantiate", "--store", store,
		"--eval", "--json", "--strict", "--expr", nixURLs, "--argstr", "file", listFile)
	cmd.Env = append(os.Environ(), env...)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		t.Fatalf("nix-instantiate: %v\n%s", err, stderr.String())
	}
	var got []string
	if err := json.Unmarshal(stdout.Bytes(), &got); err != nil {
		t.Fatalf("decoding the output of nix-instantiate: %v\n%s", err, stdout.String())
	}
	want := make([]string, len(checks))
	for i, c := range checks {
		want[i] = c.want
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("urls as nix reads them (-want +nix):\n%s", diff)
	}
}
