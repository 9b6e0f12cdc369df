package main

import (
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/nixlayer/nixlayer/internal/devshell"
	"github.com/nixlayer/nixlayer/internal/testenv"
)

// storePathOf returns the store path that p is in, or "".
func storePathOf(p string) string {
	parts := strings.SplitN(strings.TrimSpace(p), "/", 5)
	if len(parts) < 4 || parts[0] != "" || parts[1] != "nix" || parts[2] != "store" {
		return ""
	}
	return "/nix/store/" + parts[3]
}

// TestShell checks the dev shells against the image of the same sets:
// nixlayer shell's PATH starts with store paths of the image's closure,
// its python3 is the image's, and direnv's use flake, with the .envrc and
// flake that nixlayer envrc writes, gives the same PATH.
func TestShell(t *testing.T) {
	universe := testenv.Universe(t)
	buildEnv(t)
	store := os.Getenv("NIXLAYER_STORE")
	// This machine's PATH, which the shell's entries go before.
	host := "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"
	t.Setenv("PATH", host)
	_, img, _ := build(t, "runtime", "base,python")
	closure := storeLayers(t, img)
	root := unpack(t, img)
	programs := map[string]bool{} // the store paths the image's /usr/bin and /usr/sbin link into
	for _, dir := range []string{"usr/bin", "usr/sbin"} {
		entries, err := os.ReadDir(filepath.Join(root, dir))
		if err != nil && !os.IsNotExist(err) {
			t.Fatal(err)
		}
		for _, e := range entries {
			target, err := os.Readlink(filepath.Join(root, dir, e.Name()))
			if err != nil {
				t.Fatal(err)
			}
			programs[storePathOf(target)] = true
		}
	}
	python, err := os.Readlink(filepath.Join(root, "usr/bin/python3"))
	if err != nil {
		t.Fatal(err)
	}

	// The done-when of the dev shells.
	code, stdout, stderr := cli(t, "shell", "--sets", "base,python", "--command", "python3", "-c", "import sys; print(sys.executable)")
	if code != exitOK || storePathOf(stdout) != storePathOf(python) || closure[storePathOf(stdout)] == "" {
		t.Errorf("python3 in the shell: exit status %d, %q (%s); want the image's %s", code, stdout, stderr, python)
	}

	code, stdout, stderr = cli(t, "shell", "--sets", "base,python", "-q", "--command", "printenv", "PATH")
	own, ok := strings.CutSuffix(strings.TrimSpace(stdout), ":"+host)
	if code != exitOK || !ok || own == "" {
		t.Fatalf("PATH in the shell: exit status %d, %q (%s); want the shell's entries, then %s", code, stdout, stderr, host)
	}
	shellPaths := map[string]bool{}
	for _, e := range strings.Split(own, ":") {
		p := storePathOf(e)
		if closure[p] == "" || e != p+"/bin" && e != p+"/sbin" {
			t.Errorf("PATH entry %s is not the bin or sbin of a store path of the image", e)
		}
		shellPaths[p] = true
	}
	for p := range programs {
		if !shellPaths[p] {
			t.Errorf("the image's programs of %s are not in the shell's PATH", p)
		}
	}

	t.Run("the command's exit status is nixlayer's", func(t *testing.T) {
		if code, _, stderr := cli(t, "shell", "--sets", "base", "-q", "--command", "sh", "-c", "exit 3"); code != 3 || stderr != "" {
			t.Errorf("exit status %d, %q; want 3 and nothing from nixlayer", code, stderr)
		}
	})

	t.Run("bad input is found before a shell opens", func(t *testing.T) {
		for _, args := range [][]string{
			{"shell", "-q", "--sets", "base", "--packages", "pyhton312", "--command", "true"},
			{"shell", "-q", "--sets", "base", "true"},
			{"shell", "-q", "--command"},
			{"envrc", "-q", "--sets", "base", "--packages", "pyhton312"},
		} {
			code, stdout, stderr := cli(t, args...)
			if code != exitBadInput || stdout != "" || strings.Count(stderr, "\n") != 1 {
				t.Errorf("%s: exit status %d, %q, %q; want bad input", strings.Join(args, " "), code, stdout, stderr)
			}
		}
		if _, err := os.Stat(devshell.Dir); err == nil {
			t.Errorf("a failed envrc left %s", devshell.Dir)
		}
	})

	t.Run("direnv uses the flake that envrc writes", func(t *testing.T) {
		project := t.TempDir()
		envrc := filepath.Join(project, ".envrc")
		for range 2 { // the second replaces the first
			if code, _, stderr := cli(t, "envrc", "--sets", "base,python", "-q", "-o", envrc); code != exitOK {
				t.Fatalf("nixlayer envrc: exit status %d: %s", code, stderr)
			}
		}
		assertOnly(t, project, ".envrc", devshell.Dir)
		// direnv from the universe, in a shell of the test store; the nix
		// that direnv's use flake runs finds the store by NIX_CONFIG.
		script := `direnv allow . && direnv exec . python3 -c 'import os, sys; print(os.path.realpath(sys.executable))' && direnv exec . printenv PATH`
		cmd := exec.Command("nix", "--extra-experimental-features", "nix-command flakes", "--store", store, "shell", "path:"+universe+"#direnv", "--command", "sh", "-c", script)
		cmd.Dir = project
		cmd.Env = append(os.Environ(), "NIX_CONFIG=store = "+store)
		out, err := cmd.Output()
		if err != nil {
			var stderr []byte
			if ee, ok := err.(*exec.ExitError); ok {
				stderr = ee.Stderr
			}
			t.Fatalf("direnv: %v\n%s", err, stderr)
		}
		lines := strings.Split(strings.TrimSpace(string(out)), "\n")
		if len(lines) != 2 || storePathOf(lines[0]) != storePathOf(python) {
			t.Fatalf("direnv exec: %q; want the image's python3 %s, then PATH", out, python)
		}
		if !strings.HasPrefix(lines[1], own+":") {
			t.Errorf("direnv's PATH %s does not start with nixlayer shell's %s", lines[1], own)
		}
		// A directory nixlayer did not write is not replaced.
		other := t.TempDir()
		if err := os.Mkdir(filepath.Join(other, devshell.Dir), 0o755); err != nil {
			t.Fatal(err)
		}
		writeFile(t, filepath.Join(other, devshell.Dir), "notes.txt", "mine")
		if code, _, stderr := cli(t, "envrc", "--sets", "base", "-q", "-o", filepath.Join(other, ".envrc")); code != exitBadInput || !strings.Contains(stderr, "not a dev shell flake") {
			t.Errorf("over another directory: exit status %d, %q", code, stderr)
		}
		if entries, _ := os.ReadDir(other); len(entries) != 1 || !slices.ContainsFunc(entries, func(e os.DirEntry) bool { return e.Name() == devshell.Dir }) {
			t.Errorf("over another directory, it wrote %v", entries)
		}
	})
}
