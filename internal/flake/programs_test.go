package flake_test

import (
	"context"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/google/go-cmp/cmp"

	"github.com/nixlayer/nixlayer/internal/flake"
	"github.com/nixlayer/nixlayer/internal/sets"
	nixflake "github.com/nixlayer/nixlayer/nix"
)

// TestCVEPatchesOverlay checks that nix/overlays/cve-patches.nix appends
// nix/patches/<attr>/*.patch to that attribute's patches, in name order,
// and that the build applies them.
func TestCVEPatchesOverlay(t *testing.T) {
	d := newDriver(t)
	ctx := context.Background()
	src := fstest.MapFS{
		"patches/fd/CVE-2099-0002.patch": {Data: []byte(strings.ReplaceAll(fdPatch, "fd-fix", "CVE-2099-0002"))},
		"patches/fd/notes.txt":           {Data: []byte("not a patch")},
		"patches/README.md":              {Data: []byte("not an attribute")},
	}
	err := fs.WalkDir(nixflake.Files, ".", func(p string, e fs.DirEntry, err error) error {
		if err != nil || e.IsDir() {
			return err
		}
		data, err := fs.ReadFile(nixflake.Files, p)
		src[p] = &fstest.MapFile{Data: data}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	w, err := flake.Prepare(t.TempDir(), src, flake.Request{System: "x86_64-linux", Attrs: []sets.Attr{{Path: "fd", Origin: "--packages"}}})
	if err != nil {
		t.Fatal(err)
	}
	plan, err := w.Plan(ctx, d)
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff([]flake.Patch{{Name: "CVE-2099-0002.patch"}}, plan.Packages[0].Patches); diff != "" {
		t.Errorf("fd patches (-want +got):\n%s", diff)
	}
	if _, err := w.Build(ctx, d, plan); err != nil {
		t.Fatal(err)
	}
	script, err := os.ReadFile(d.Root().Path(plan.Packages[0].OutPath) + "/bin/fd")
	if err != nil || !strings.Contains(string(script), "patched: CVE-2099-0002") {
		t.Errorf("fd was built without the patch: %v\n%s", err, script)
	}
}

// TestRealPrograms builds the sets whose programs the images run and runs
// them in a chroot that holds nothing but the store: no /lib, no /usr.
func TestRealPrograms(t *testing.T) {
	if os.Geteuid() != 0 {
		if os.Getenv("CI") == "true" {
			t.Fatal("running programs in a chroot needs root, and CI runs as root")
		}
		t.Skip("skipping: running programs in a chroot needs root")
	}
	d := newDriver(t)
	ctx := context.Background()
	w := prepare(t, "base,devTools,nixTools,python", nil)
	plan, err := w.Plan(ctx, d)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := w.Build(ctx, d, plan); err != nil {
		t.Fatal(err)
	}
	out := map[string]string{}
	for _, p := range plan.Packages {
		out[p.Attr] = p.OutPath
	}
	root := d.Root().Dir()
	for _, dir := range []string{"dev", "tmp", "etc"} {
		if err := os.MkdirAll(filepath.Join(root, dir), 0o755); err != nil {
			t.Fatal(err)
		}
	}
	if err := os.WriteFile(filepath.Join(root, "etc/passwd"), []byte("root:x:0:0:root:/:/bin/sh\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(root, "dev/null"), nil, 0o666); err != nil {
		t.Fatal(err)
	}
	// sudo finds its plugins in the store through sudo.conf, as the
	// devcontainer's /etc/sudo.conf will tell it.
	conf, err := os.ReadFile(d.Root().Path(out["sudo"]) + "/etc/sudo.conf")
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(root, "etc/sudo.conf"), conf, 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(root, "etc/sudoers"), []byte("root ALL=(ALL:ALL) ALL\n"), 0o440); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		attr string
		args []string
		want string
	}{
		{"bashInteractive", []string{"bin/bash", "-c", "echo $((6 * 7)) $BASH_VERSION"}, "42 5.2.15(1)-release"},
		{"coreutils", []string{"bin/basename", "/a/b/c"}, "c"},
		{"gnugrep", []string{"bin/grep", "--version"}, "grep (GNU grep) 3.8"},
		{"gnused", []string{"bin/sed", "--version"}, "/sed (GNU sed) 4.9"},
		{"findutils", []string{"bin/find", "--version"}, "find (GNU findutils) 4.9.0"},
		{"python312", []string{"bin/python3", "-c", "import json, ssl, sqlite3, hashlib; print(json.dumps({'ok': ssl.OPENSSL_VERSION[:7]}))"}, `{"ok": "OpenSSL"}`},
		{"jq", []string{"bin/jq", "--version"}, "jq-1.6"},
		{"git", []string{"bin/git", "--version"}, "git version 2.39.5"},
		{"curl", []string{"bin/curl", "--version"}, "curl 7.88.1"},
		{"sudo", []string{"bin/sudo", "-V"}, "Sudo version 1.9.13p3\nSudoers policy plugin version 1.9.13p3"},
		{"direnv", []string{"bin/direnv", "version"}, "2.32.1"},
		{"nix", []string{"bin/nix", "--version"}, "nix (Nix) 2.8.0"},
		{"shadow", []string{"bin/useradd"}, "useradd (shadow) 4.13\npatched: CVE-2023-29383"},
	}
	for _, tt := range tests {
		t.Run(tt.attr, func(t *testing.T) {
			args := append([]string{root, out[tt.attr] + "/" + tt.args[0]}, tt.args[1:]...)
			got, err := exec.Command("chroot", args...).Output()
			// want's lines must appear in order; a program may print its
			// own path first, so a line need only end with want's, or
			// start with it and go on.
			lines := strings.Split(strings.TrimSpace(string(got)), "\n")
			wantLines := strings.Split(tt.want, "\n")
			i := 0
			for _, l := range lines {
				if i < len(wantLines) && (strings.HasSuffix(l, wantLines[i]) || strings.HasPrefix(l, wantLines[i]+" ")) {
					i++
				}
			}
			ok := err == nil && i == len(wantLines)
			if !ok {
				t.Errorf("%s: %v: got %q, want %q", strings.Join(tt.args, " "), err, got, tt.want)
			}
		})
	}
	for attr, file := range map[string]string{"cacert": "etc/ssl/certs/ca-bundle.crt", "tzdata": "share/zoneinfo/Europe/Paris"} {
		if fi, err := os.Stat(d.Root().Path(out[attr]) + "/" + file); err != nil || fi.Size() == 0 {
			t.Errorf("%s has no %s: %v", attr, file, err)
		}
	}
}
