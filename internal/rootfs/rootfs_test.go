package rootfs

import (
	"encoding/json"
	"flag"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	goldenfile "github.com/nixlayer/nixlayer/internal/golden"

	"github.com/nixlayer/nixlayer/internal/image"
	"github.com/nixlayer/nixlayer/internal/kind"
	"github.com/nixlayer/nixlayer/internal/nix"
	"github.com/nixlayer/nixlayer/internal/sbom"
)

var update = flag.Bool("update", false, "rewrite golden files")

const (
	bash      = "/nix/store/00000000000000000000000000000001-bash-5.2.15"
	coreutils = "/nix/store/00000000000000000000000000000002-coreutils-9.1"
	sudoPkg   = "/nix/store/00000000000000000000000000000003-sudo-1.9.13p3"
	pam       = "/nix/store/00000000000000000000000000000004-linux-pam-1.5.2"
	nixPkg    = "/nix/store/00000000000000000000000000000005-nix-2.8.0"
	direnv    = "/nix/store/00000000000000000000000000000006-direnv-2.32.1"
	nixDirenv = "/nix/store/00000000000000000000000000000007-nix-direnv-3.0.6"
	db        = "/nix/store/00000000000000000000000000000008-nixlayer-db"
	cacert    = "/nix/store/00000000000000000000000000000009-nss-cacert-20250419"
	glibc     = "/nix/store/0000000000000000000000000000000a-glibc-2.36"
	gcc       = "/nix/store/0000000000000000000000000000000b-gcc-12.2.0"
	busybox   = "/nix/store/0000000000000000000000000000000c-busybox-1.35.0"
)

// store writes a fake store with the files Files reads into a temporary
// chroot store and returns its root. As Nix does, the C++ runtime's
// soname is an absolute link into /nix/store, which must resolve inside
// the root.
func store(t *testing.T) nix.Root {
	root := t.TempDir()
	write := func(p, data string, mode fs.FileMode) {
		t.Helper()
		f := filepath.Join(root, p)
		if err := os.MkdirAll(filepath.Dir(f), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(f, []byte(data), mode); err != nil {
			t.Fatal(err)
		}
	}
	for _, p := range []string{
		bash + "/bin/bash", bash + "/bin/sh", coreutils + "/bin/env", coreutils + "/bin/id",
		sudoPkg + "/bin/sudo", sudoPkg + "/bin/sudoedit", pam + "/lib/security/pam_unix.so", pam + "/lib/security/pam_rootok.so",
		nixPkg + "/bin/nix", nixPkg + "/bin/nix-store", direnv + "/bin/direnv", nixDirenv + "/share/nix-direnv/direnvrc",
		glibc + "/lib/ld-linux-x86-64.so.2", glibc + "/lib/libc.so.6", glibc + "/lib/libm.so.6", gcc + "/lib/libstdc++.so.6.0.30", gcc + "/lib/libgcc_s.so.1",
		busybox + "/bin/id", busybox + "/sbin/ifconfig",
	} {
		write(p, "x", 0o555)
	}
	if err := os.Symlink(gcc+"/lib/libstdc++.so.6.0.30", filepath.Join(root, gcc, "lib/libstdc++.so.6")); err != nil {
		t.Fatal(err)
	}
	write(sudoPkg+"/etc/sudo.conf", "Plugin sudoers_policy "+sudoPkg+"/libexec/sudo/sudoers.so\n", 0o444)
	write(db+"/schema", "10", 0o444)
	write(db+"/db.sqlite", "SQLite format 3", 0o444)
	return nix.Root(root)
}

func devInput(t *testing.T) Input {
	return Input{
		Kind: kind.Devcontainer, System: "x86_64-linux", Store: store(t),
		Packages: []Package{{"bashInteractive", bash}, {"coreutils", coreutils}, {"cacert", cacert},
			{"glibc", glibc}, {"stdenv.cc.cc.lib", gcc}, {"sudo", sudoPkg}, {"nix", nixPkg},
			{"direnv", direnv}, {"nix-direnv", nixDirenv}, {"busybox", busybox}},
		Closure:    []string{bash, coreutils, sudoPkg, pam, nixPkg, direnv, nixDirenv, cacert, glibc, gcc, busybox},
		Database:   db,
		Sets:       []string{"base", "vscodeCompat", "devTools", "nixTools"},
		Nixpkgs:    "74cc63f702f7d60a557e152a57b40fb1fd0f72ac",
		Extensions: []string{"mkhl.direnv"},
		Settings:   map[string]any{"files.trimTrailingWhitespace": true},
	}
}

func runtimeInput(t *testing.T) Input {
	in := devInput(t)
	in.Kind, in.Sets, in.Database = kind.Runtime, []string{"base"}, ""
	in.Packages = []Package{{"bashInteractive", bash}, {"coreutils", coreutils}, {"busybox", busybox}}
	in.Closure = []string{bash, coreutils, busybox}
	return in
}

// listing renders files one per line, for golden files, with the store
// root as $ROOT.
func listing(root nix.Root, files []image.File) string {
	var b strings.Builder
	for _, f := range files {
		fmt.Fprintf(&b, "%-48s %-12v %4d:%-4d", f.Path, f.Mode, f.Uid, f.Gid)
		switch {
		case f.Link != "":
			fmt.Fprintf(&b, " -> %s", f.Link)
		case f.Source != "":
			fmt.Fprintf(&b, " < %s", strings.Replace(f.Source, root.Dir(), "$ROOT", 1))
		case f.Mode.IsRegular():
			fmt.Fprintf(&b, " %q", f.Data)
		}
		b.WriteString("\n")
	}
	return b.String()
}

func golden(t *testing.T, name, got string) {
	t.Helper()
	goldenfile.Check(t, name, got, *update)
}

func TestFiles(t *testing.T) {
	for _, tc := range []struct {
		name string
		in   Input
	}{
		{"devcontainer.golden", devInput(t)},
		{"runtime.golden", runtimeInput(t)},
	} {
		t.Run(tc.name, func(t *testing.T) {
			files, err := Files(tc.in)
			if err != nil {
				t.Fatal(err)
			}
			golden(t, tc.name, listing(tc.in.Store, files))
			if tc.in.Kind == kind.Runtime {
				for _, f := range files {
					if f.Mode&(fs.ModeSetuid|fs.ModeSetgid) != 0 {
						t.Errorf("runtime file %s is setuid or setgid", f.Path)
					}
				}
			}
		})
	}
}

func TestFilesErrors(t *testing.T) {
	for _, tc := range []struct {
		name   string
		change func(*Input)
		want   string
	}{
		{"no sudo", func(in *Input) { in.Packages = in.Packages[:5] }, "the image has no sudo"},
		{"no PAM", func(in *Input) { in.Closure = []string{bash} }, "no linux-pam"},
		{"no database", func(in *Input) { in.Database = "" }, "no Nix database"},
		{"no nix-direnv", func(in *Input) { in.Packages = in.Packages[:8] }, "no nix-direnv"},
		{"vscodeCompat on an unknown system", func(in *Input) { in.System = "riscv64-linux" }, "vscodeCompat needs"},
		{"sudo program missing", func(in *Input) { _ = os.Remove(in.Store.Path(sudoPkg + "/bin/sudo")) }, "reading sudo"},
		{"C++ runtime missing", func(in *Input) { _ = os.Remove(in.Store.Path(gcc + "/lib/libstdc++.so.6.0.30")) }, "reading libstdc++.so.6"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			in := devInput(t)
			tc.change(&in)
			_, err := Files(in)
			if err == nil || !strings.Contains(err.Error(), tc.want) || !strings.HasPrefix(err.Error(), "customising the devcontainer image: ") {
				t.Errorf("error %v, want one containing %q", err, tc.want)
			}
		})
	}
}

func TestConfig(t *testing.T) {
	epoch := time.Unix(1783549019, 0)
	dev, err := Config(devInput(t), epoch)
	if err != nil {
		t.Fatal(err)
	}
	rt, err := Config(runtimeInput(t), epoch)
	if err != nil {
		t.Fatal(err)
	}
	data, err := json.MarshalIndent(map[string]image.Config{"devcontainer": dev, "runtime": rt}, "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	golden(t, "config.golden.json", string(data)+"\n")
	var meta []map[string]any
	if err := json.Unmarshal([]byte(dev.Labels[LabelMetadata]), &meta); err != nil {
		t.Fatalf("devcontainer.metadata is not JSON: %v", err)
	}
	if _, err := Config(Input{Kind: kind.Runtime, System: "mips-linux"}, epoch); err == nil {
		t.Error("no error for a system without an OCI platform")
	}
}

func TestVersionID(t *testing.T) {
	for label, want := range map[string]string{
		"74cc63f702f7d60a557e152a57b40fb1fd0f72ac":            "74cc63f702f7",
		"sha256-0XnckG4ZhBmAsYa9mLuEIFowBG0fDGPLHduQGsbMS4A=": "d179dc906e19",
		"":               "unknown",
		"Not A Version!": "notaversion",
	} {
		if got := versionID(label); got != want {
			t.Errorf("versionID(%q) = %q, want %q", label, got, want)
		}
	}
}

// TestSBOM checks that an image carries its SBOM at the documented path,
// with its digest in a label.
func TestSBOM(t *testing.T) {
	in := runtimeInput(t)
	in.SBOM = []byte(`{"bomFormat":"CycloneDX"}`)
	files, err := Files(in)
	if err != nil {
		t.Fatal(err)
	}
	found := false
	for _, f := range files {
		if f.Path == sbom.Path {
			found = string(f.Data) == string(in.SBOM) && f.Mode == 0o644
		}
	}
	if !found {
		t.Errorf("no %s with the SBOM", sbom.Path)
	}
	cfg, err := Config(in, time.Unix(1, 0))
	if err != nil {
		t.Fatal(err)
	}
	if got := cfg.Labels[sbom.Label]; got != sbom.Digest(in.SBOM) {
		t.Errorf("label %s = %q, want %q", sbom.Label, got, sbom.Digest(in.SBOM))
	}
}
