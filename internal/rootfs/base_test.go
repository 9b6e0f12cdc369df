package rootfs

import (
	"archive/tar"
	"bytes"
	"encoding/json"
	"errors"
	"io/fs"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	v1 "github.com/google/go-containerregistry/pkg/v1"

	"github.com/nixlayer/nixlayer/internal/image"
	"github.com/nixlayer/nixlayer/internal/kind"
	"github.com/nixlayer/nixlayer/internal/usererr"
)

// baseEntry is an entry of a fake base's filesystem.
type baseEntry struct {
	name     string
	typ      byte
	mode     int64
	uid, gid int
	data     string // a file's content, or a link's target
}

// debianish is the filesystem of a merged-/usr distribution, as a
// flattened image gives it: /bin and /lib64 are links into /usr, and it
// has its own users, sudo (setuid), shell, loader and CA bundle.
var debianish = []baseEntry{
	{"bin", tar.TypeSymlink, 0o777, 0, 0, "usr/bin"},
	{"etc/", tar.TypeDir, 0o755, 0, 0, ""},
	{"etc/group", tar.TypeReg, 0o644, 0, 0, "root:x:0:\nshadow:x:42:\ndeploy:x:1001:\n"},
	{"etc/gshadow", tar.TypeReg, 0o640, 0, 42, "root:*::\nshadow:*::\ndeploy:!::"},
	{"etc/hosts", tar.TypeReg, 0o644, 0, 0, "127.0.0.1 localhost base\n"},
	{"etc/os-release", tar.TypeSymlink, 0o777, 0, 0, "../usr/lib/os-release"},
	{"etc/passwd", tar.TypeReg, 0o644, 0, 0, "root:x:0:0:root:/root:/bin/bash\ndeploy:x:1001:1001::/home/deploy:/bin/sh\n"},
	{"etc/shadow", tar.TypeReg, 0o640, 0, 42, "root:*:19000:0:99999:7:::\ndeploy:!:19000::::::\n"},
	{"etc/ssl/", tar.TypeDir, 0o755, 0, 0, ""},
	{"etc/ssl/certs/", tar.TypeDir, 0o755, 0, 0, ""},
	{"etc/ssl/certs/ca-certificates.crt", tar.TypeReg, 0o644, 0, 0, "-----BEGIN CERTIFICATE-----\n"},
	{"etc/sudoers", tar.TypeReg, 0o440, 0, 0, "Defaults\tenv_reset\nroot\tALL=(ALL:ALL) ALL\n%sudo\tALL=(ALL:ALL) ALL\n@includedir /etc/sudoers.d\n"},
	{"etc/sudoers.d/", tar.TypeDir, 0o750, 0, 0, ""},
	{"home/", tar.TypeDir, 0o755, 0, 0, ""},
	{"lib64", tar.TypeSymlink, 0o777, 0, 0, "usr/lib64"},
	{"root/", tar.TypeDir, 0o700, 0, 0, ""},
	{"tmp/", tar.TypeDir, 0o1777, 0, 0, ""},
	{"usr/", tar.TypeDir, 0o755, 0, 0, ""},
	{"usr/bin/", tar.TypeDir, 0o755, 0, 0, ""},
	{"usr/bin/bash", tar.TypeReg, 0o755, 0, 0, "ELF bash"},
	{"usr/bin/env", tar.TypeReg, 0o755, 0, 0, "ELF env"},
	{"usr/bin/sh", tar.TypeSymlink, 0o777, 0, 0, "dash"},
	{"usr/bin/dash", tar.TypeReg, 0o755, 0, 0, "ELF dash"},
	{"usr/bin/sudo", tar.TypeReg, 0o4755, 0, 0, "ELF sudo"},
	{"usr/bin/sudoedit", tar.TypeLink, 0o4755, 0, 0, "usr/bin/sudo"},
	{"usr/lib/", tar.TypeDir, 0o755, 0, 0, ""},
	{"usr/lib/os-release", tar.TypeReg, 0o644, 0, 0, "ID=debian\n"},
	{"usr/lib/x86_64-linux-gnu/", tar.TypeDir, 0o755, 0, 0, ""},
	{"usr/lib/x86_64-linux-gnu/ld-linux-x86-64.so.2", tar.TypeReg, 0o755, 0, 0, "ELF ld.so"},
	{"usr/lib64/", tar.TypeDir, 0o755, 0, 0, ""},
	{"usr/lib64/ld-linux-x86-64.so.2", tar.TypeSymlink, 0o777, 0, 0, "/usr/lib/x86_64-linux-gnu/ld-linux-x86-64.so.2"},
	{"usr/local/", tar.TypeDir, 0o2775, 0, 50, ""},
	{"usr/local/bin/", tar.TypeDir, 0o2775, 0, 50, ""},
	{"usr/sbin/", tar.TypeDir, 0o755, 0, 0, ""},
}

// debianConfig is the base's config.
var debianConfig = v1.Config{
	Env:    []string{"PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin", "LANG=en_US.UTF-8", "DEBIAN_FRONTEND=noninteractive"},
	Cmd:    []string{"bash"},
	Labels: map[string]string{"org.opencontainers.image.title": "Debian", "org.example.distribution": "debian"},
}

// fakeBase reads entries as a base's flattened filesystem.
func fakeBase(t *testing.T, entries []baseEntry, cfg v1.Config) *Base {
	t.Helper()
	var buf bytes.Buffer
	tw := tar.NewWriter(&buf)
	for _, e := range entries {
		h := &tar.Header{Name: e.name, Typeflag: e.typ, Mode: e.mode, Uid: e.uid, Gid: e.gid}
		switch e.typ {
		case tar.TypeReg:
			h.Size = int64(len(e.data))
		case tar.TypeSymlink, tar.TypeLink:
			h.Linkname = e.data
		}
		if err := tw.WriteHeader(h); err != nil {
			t.Fatal(err)
		}
		if e.typ == tar.TypeReg {
			if _, err := tw.Write([]byte(e.data)); err != nil {
				t.Fatal(err)
			}
		}
	}
	if err := tw.Close(); err != nil {
		t.Fatal(err)
	}
	b, err := ReadBase(&buf, "registry.example/debian:12", "sha256:b45e", cfg)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// TestFilesOnBase checks the customisation layer on a base against
// goldens: it adds to the base, merges the users and sudo's policy, and
// leaves the base's shell, loader, CA bundle and /etc files as they are.
func TestFilesOnBase(t *testing.T) {
	for _, tc := range []struct {
		name string
		in   Input
	}{
		{"devcontainer-on-base.golden", devInput(t)},
		{"runtime-on-base.golden", runtimeInput(t)},
	} {
		t.Run(tc.name, func(t *testing.T) {
			in := tc.in
			in.Base = fakeBase(t, debianish, debianConfig)
			files, err := Files(in)
			if err != nil {
				t.Fatal(err)
			}
			golden(t, tc.name, listing(in.Store, files))
			for _, f := range files {
				if in.Kind == kind.Runtime && f.Mode.IsRegular() && f.Mode&(fs.ModeSetuid|fs.ModeSetgid) != 0 {
					t.Errorf("runtime file %s is setuid or setgid", f.Path)
				}
				if _, err := image.FilesLayer([]image.File{f}, time.Unix(1, 0)); err != nil {
					t.Errorf("%s: %v", f.Path, err)
				}
			}
		})
	}
}

func TestConfigOnBase(t *testing.T) {
	epoch := time.Unix(1783549019, 0)
	out := map[string]image.Config{}
	for _, in := range []Input{devInput(t), runtimeInput(t)} {
		in.Base = fakeBase(t, debianish, debianConfig)
		c, err := Config(in, epoch)
		if err != nil {
			t.Fatal(err)
		}
		out[string(in.Kind)] = c
	}
	entry := debianConfig
	entry.Entrypoint, entry.Cmd = []string{"/docker-entrypoint.sh"}, []string{"serve"}
	in := runtimeInput(t)
	in.Base = fakeBase(t, debianish, entry)
	c, err := Config(in, epoch)
	if err != nil {
		t.Fatal(err)
	}
	out["runtime on a base with an entrypoint"] = c
	data, err := json.MarshalIndent(out, "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	golden(t, "config-on-base.golden.json", string(data)+"\n")
}

// TestUserClash checks that a base whose accounts take the name or id of
// nixlayer's user is refused as bad input, before anything is built.
func TestUserClash(t *testing.T) {
	with := func(name, data string) []baseEntry {
		var out []baseEntry
		for _, e := range debianish {
			if e.name == name {
				e.data = data
			}
			out = append(out, e)
		}
		return out
	}
	for _, tc := range []struct {
		name    string
		entries []baseEntry
		kind    kind.Kind
		want    string
	}{
		{"uid", with("etc/passwd", "root:x:0:0::/root:/bin/sh\nubuntu:x:1000:1000::/home/ubuntu:/bin/bash\n"), kind.Devcontainer,
			`the base image's /etc/passwd gives uid 1000 to "ubuntu", and nixlayer gives it to vscode; use a base without "ubuntu"`},
		{"name", with("etc/passwd", "root:x:0:0::/root:/bin/sh\napp:x:999:999::/app:/bin/sh\n"), kind.Runtime,
			`the base image's /etc/passwd already has "app", the account nixlayer adds; use a base without it`},
		{"gid", with("etc/group", "root:x:0:\nstaff:x:1000:\n"), kind.Runtime,
			`the base image's /etc/group gives gid 1000 to "staff", and nixlayer gives it to app; use a base without "staff"`},
		{"shadow", with("etc/shadow", "root:*:1::::::\nvscode:!:1::::::\n"), kind.Devcontainer,
			`the base image's /etc/shadow already has "vscode", the account nixlayer adds; use a base without it`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			b := fakeBase(t, tc.entries, debianConfig)
			err := CheckBase(tc.kind, b)
			if !errors.Is(err, usererr.ErrBadInput) || !strings.HasSuffix(err.Error(), ": "+tc.want) || strings.Contains(err.Error(), "\n") {
				t.Errorf("error %v, want bad input ending in %q", err, tc.want)
			}
			in := runtimeInput(t)
			if tc.kind == kind.Devcontainer {
				in = devInput(t)
			}
			in.Base = b
			if _, err := Files(in); !errors.Is(err, usererr.ErrBadInput) {
				t.Errorf("Files: error %v, want the same bad input", err)
			}
		})
	}
	if err := CheckBase(kind.Devcontainer, fakeBase(t, debianish, debianConfig)); err != nil {
		t.Errorf("a base without clashes: %v", err)
	}
}

func TestResolve(t *testing.T) {
	b := fakeBase(t, append(debianish,
		baseEntry{"loop", tar.TypeSymlink, 0o777, 0, 0, "loop"}), debianConfig)
	for _, tc := range []struct {
		p    string
		last bool
		want string
	}{
		{"/bin/sh", false, "/usr/bin/sh"},
		{"/bin/sh", true, "/usr/bin/dash"},
		{"/etc/os-release", true, "/usr/lib/os-release"},
		{"/etc/os-release", false, "/etc/os-release"},
		{"/lib64/ld-linux-x86-64.so.2", false, "/usr/lib64/ld-linux-x86-64.so.2"},
		{"/lib64/ld-linux-x86-64.so.2", true, "/usr/lib/x86_64-linux-gnu/ld-linux-x86-64.so.2"},
		{"/nix/store/x", true, "/nix/store/x"},
		{"/usr/local/bin/git", false, "/usr/local/bin/git"},
	} {
		got, err := b.resolve(tc.p, tc.last)
		if err != nil || got != tc.want {
			t.Errorf("resolve(%s, %v) = %q, %v; want %q", tc.p, tc.last, got, err, tc.want)
		}
	}
	for _, p := range []string{"/loop/x", "/usr/bin/bash/x"} {
		if got, err := b.resolve(p, false); err == nil {
			t.Errorf("resolve(%s) = %q, want an error", p, got)
		}
	}
	if diff := cmp.Diff([]string{"/usr/bin/sudo", "/usr/bin/sudoedit"}, b.Setuid()); diff != "" {
		t.Errorf("setuid files (-want +got):\n%s", diff)
	}
}
