package testenv

import (
	"archive/tar"
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"maps"
	"os"
	"os/exec"
	"path"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	v1 "github.com/google/go-containerregistry/pkg/v1"
	"github.com/google/go-containerregistry/pkg/v1/empty"
	"github.com/google/go-containerregistry/pkg/v1/layout"
	"github.com/google/go-containerregistry/pkg/v1/mutate"
	"github.com/google/go-containerregistry/pkg/v1/tarball"
	"github.com/google/go-containerregistry/pkg/v1/types"
)

// baseVersion names how DebianBase makes the image; change it when that
// changes, so that an earlier run's image is not reused.
const baseVersion = "nixlayer test base v1"

// The Debian packages of DebianBase's two layers, from the universe's
// debs: a system with bash, coreutils, grep, sed, tar and a CA bundle,
// then sudo, whose program is setuid root, as a certified distribution's
// base image may have it.
var (
	basePackages = []string{"libc6", "libgcc-s1", "libtinfo6", "bash", "coreutils", "libacl1", "libattr1", "libgmp10",
		"libselinux1", "libpcre2-8-0", "sed", "grep", "findutils", "tar", "gzip", "zlib1g", "ca-certificates"}
	sudoPackages = []string{"sudo", "libaudit1", "libcap-ng0", "libpam0g", "libpam-modules", "libcrypt1", "libdb5.3"}
)

// BaseUsers are the accounts of DebianBase's /etc/passwd, as name:uid.
var BaseUsers = []string{"root:0", "daemon:1", "bin:2", "sys:3", "deploy:1001", "nobody:65534"}

// BaseConfig is the config of DebianBase's image.
var BaseConfig = v1.Config{
	Env:        []string{"PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin", "DEBIAN_FRONTEND=noninteractive"},
	Cmd:        []string{"bash"},
	StopSignal: "SIGQUIT",
	Labels:     map[string]string{"org.opencontainers.image.vendor": "nixlayer tests", "org.example.distribution": "debian-12-standin"},
}

var baseOnce struct {
	sync.Mutex
	dir string
}

// DebianBase returns an OCI layout directory holding a small Debian 12
// image for linux/amd64, made from the .deb files that the test universe
// downloads (see Universe): it stands in for a certified distribution,
// such as Ubuntu FIPS, as the base of nixlayer's images. Its filesystem
// merges /usr, as Debian's does (/bin, /sbin, /lib and /lib64 link into
// /usr), and has the accounts BaseUsers, a Debian-like /etc/profile, an
// /etc/os-release of Debian, /etc/ssl/certs/ca-certificates.crt, and, in
// its second layer, sudo (setuid root, with its /etc/sudoers) and the
// removal of the first layer's /etc/motd. The image is made once, in the
// temporary directory, and the same for every test and run. It needs
// dpkg-deb.
func DebianBase(t testing.TB) string {
	t.Helper()
	Require(t, "dpkg-deb")
	universe := Universe(t)
	baseOnce.Lock()
	defer baseOnce.Unlock()
	if baseOnce.dir != "" {
		return baseOnce.dir
	}
	debs, key, err := baseDebs(filepath.Join(universe, "debs"))
	if err != nil {
		t.Fatal(err)
	}
	dir := filepath.Join(os.TempDir(), "nixlayer-test-base-"+key)
	if _, err := os.Stat(filepath.Join(dir, "index.json")); err != nil {
		if err := makeBase(dir, debs); err != nil {
			t.Fatalf("making the Debian base image: %v", err)
		}
	}
	baseOnce.dir = dir
	return dir
}

// baseDebs finds the .deb file of each package and returns them with a
// key naming their content.
func baseDebs(dir string) (map[string]string, string, error) {
	h := sha256.New()
	fmt.Fprintln(h, baseVersion)
	debs := map[string]string{}
	for _, p := range slices.Concat(basePackages, sudoPackages) {
		m, err := filepath.Glob(filepath.Join(dir, p+"_*.deb"))
		if err != nil || len(m) != 1 {
			return nil, "", fmt.Errorf("finding the .deb of %s in %s: %v (%d found)", p, dir, err, len(m))
		}
		fi, err := os.Stat(m[0])
		if err != nil {
			return nil, "", err
		}
		debs[p] = m[0]
		fmt.Fprintln(h, filepath.Base(m[0]), fi.Size())
	}
	return debs, hex.EncodeToString(h.Sum(nil))[:16], nil
}

// entry is a file of a layer.
type entry struct {
	h    tar.Header
	data []byte
}

// layerFS is a layer's files by name (relative, clean).
type layerFS map[string]*entry

var baseTime = time.Unix(1700000000, 0).UTC()

func (l layerFS) dir(name string, mode int64) {
	l[name] = &entry{h: tar.Header{Typeflag: tar.TypeDir, Name: name + "/", Mode: mode}}
}

func (l layerFS) file(name string, mode int64, gid int, data string) {
	l[name] = &entry{h: tar.Header{Typeflag: tar.TypeReg, Name: name, Mode: mode, Gid: gid, Size: int64(len(data))}, data: []byte(data)}
}

func (l layerFS) link(name, target string) {
	l[name] = &entry{h: tar.Header{Typeflag: tar.TypeSymlink, Name: name, Linkname: target, Mode: 0o777}}
}

// usrMerged maps a Debian package's top directories into /usr, as
// Debian 12's merged /usr does.
func usrMerged(name string) string {
	for _, d := range []string{"bin", "sbin", "lib", "lib64"} {
		if name == d || strings.HasPrefix(name, d+"/") {
			return "usr/" + name
		}
	}
	return name
}

// addDeb adds the files of a .deb, without documentation.
func (l layerFS) addDeb(file string) error {
	cmd := exec.Command("dpkg-deb", "--fsys-tarfile", file)
	var out, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &stderr
	if err := cmd.Run(); err != nil {
		return fmt.Errorf("dpkg-deb --fsys-tarfile %s: %v: %s", file, err, stderr.String())
	}
	tr := tar.NewReader(&out)
	for {
		h, err := tr.Next()
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return err
		}
		name := usrMerged(strings.TrimPrefix(path.Clean(h.Name), "./"))
		if name == "." || strings.HasPrefix(name, "usr/share/doc") || strings.HasPrefix(name, "usr/share/man") || strings.HasPrefix(name, "usr/share/locale") || strings.HasPrefix(name, "usr/share/info") {
			continue
		}
		e := &entry{h: tar.Header{Typeflag: h.Typeflag, Name: name, Mode: h.Mode, Linkname: h.Linkname}}
		switch h.Typeflag {
		case tar.TypeDir:
			e.h.Name += "/"
		case tar.TypeReg:
			if e.data, err = io.ReadAll(tr); err != nil {
				return err
			}
			e.h.Size = int64(len(e.data))
		case tar.TypeLink:
			e.h.Linkname = usrMerged(strings.TrimPrefix(path.Clean(h.Linkname), "./"))
		case tar.TypeSymlink:
		default:
			continue
		}
		if _, ok := l[name]; ok && h.Typeflag == tar.TypeDir {
			continue
		}
		l[name] = e
	}
}

// layer returns the layer of l's files, sorted, owned by root unless
// they say otherwise, at baseTime.
func (l layerFS) layer() (v1.Layer, error) {
	var buf bytes.Buffer
	tw := tar.NewWriter(&buf)
	for _, name := range slices.Sorted(maps.Keys(l)) {
		e := l[name]
		h := e.h
		h.ModTime, h.Format = baseTime, tar.FormatPAX
		if err := tw.WriteHeader(&h); err != nil {
			return nil, err
		}
		if _, err := tw.Write(e.data); err != nil {
			return nil, err
		}
	}
	if err := tw.Close(); err != nil {
		return nil, err
	}
	data := buf.Bytes()
	return tarball.LayerFromOpener(func() (io.ReadCloser, error) { return io.NopCloser(bytes.NewReader(data)), nil })
}

// system is the first layer's files besides the packages'.
func (l layerFS) system(debs map[string]string) error {
	for _, d := range []string{"bin", "sbin", "lib", "lib64"} {
		l.link(d, "usr/"+d)
	}
	for _, d := range []string{"etc", "etc/profile.d", "etc/ssl", "etc/ssl/certs", "home", "usr", "usr/bin", "usr/sbin", "usr/lib", "usr/lib64",
		"usr/local", "usr/local/bin", "usr/local/sbin", "var", "var/lib", "run", "proc", "dev"} {
		l.dir(d, 0o755)
	}
	l.dir("root", 0o700)
	l.dir("tmp", 0o1777)
	l.dir("var/tmp", 0o1777)
	l.dir("home/deploy", 0o755)
	l["home/deploy"].h.Uid, l["home/deploy"].h.Gid = 1001, 1001
	var passwd, group, shadow, gshadow strings.Builder
	for _, u := range BaseUsers {
		name, id, _ := strings.Cut(u, ":")
		home, shell := "/nonexistent", "/usr/sbin/nologin"
		switch name {
		case "root":
			home, shell = "/root", "/bin/bash"
		case "deploy":
			home, shell = "/home/deploy", "/bin/bash"
		}
		groupName := name
		if name == "nobody" {
			groupName = "nogroup"
		}
		fmt.Fprintf(&passwd, "%s:x:%s:%s:%s:%s:%s\n", name, id, id, name, home, shell)
		fmt.Fprintf(&group, "%s:x:%s:\n", groupName, id)
		fmt.Fprintf(&shadow, "%s:*:19700:0:99999:7:::\n", name)
		fmt.Fprintf(&gshadow, "%s:*::\n", name)
	}
	group.WriteString("shadow:x:42:\nsudo:x:27:\n")
	gshadow.WriteString("shadow:*::\nsudo:*::\n")
	l.file("etc/passwd", 0o644, 0, passwd.String())
	l.file("etc/group", 0o644, 0, group.String())
	l.file("etc/shadow", 0o640, 42, shadow.String())
	l.file("etc/gshadow", 0o640, 42, gshadow.String())
	l.file("usr/lib/os-release", 0o644, 0, "PRETTY_NAME=\"Debian GNU/Linux 12 (bookworm)\"\nNAME=\"Debian GNU/Linux\"\nVERSION_ID=\"12\"\nVERSION_CODENAME=bookworm\nID=debian\n")
	l.link("etc/os-release", "../usr/lib/os-release")
	l.link("usr/bin/sh", "bash")
	l.file("etc/motd", 0o644, 0, "removed by the second layer\n")
	l.file("etc/hostname", 0o644, 0, "debian\n")
	// Debian's /etc/profile: PATH anew, then /etc/profile.d.
	l.file("etc/profile", 0o644, 0, `if [ "$(id -u)" -eq 0 ]; then
  PATH="/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"
else
  PATH="/usr/local/bin:/usr/bin:/bin:/usr/local/games:/usr/games"
fi
export PATH
if [ -d /etc/profile.d ]; then
  for i in /etc/profile.d/*.sh; do
    if [ -r $i ]; then
      . $i
    fi
  done
  unset i
fi
`)
	for _, p := range basePackages {
		if err := l.addDeb(debs[p]); err != nil {
			return err
		}
	}
	// What update-ca-certificates makes of the Mozilla certificates.
	var bundle []byte
	for _, name := range slices.Sorted(maps.Keys(l)) {
		if strings.HasPrefix(name, "usr/share/ca-certificates/mozilla/") && strings.HasSuffix(name, ".crt") {
			bundle = append(bundle, l[name].data...)
		}
	}
	if len(bundle) == 0 {
		return fmt.Errorf("the ca-certificates package has no certificates")
	}
	l.file("etc/ssl/certs/ca-certificates.crt", 0o644, 0, string(bundle))
	return nil
}

// makeBase writes the image into dir.
func makeBase(dir string, debs map[string]string) error {
	first, second := layerFS{}, layerFS{}
	if err := first.system(debs); err != nil {
		return err
	}
	for _, p := range sudoPackages {
		if err := second.addDeb(debs[p]); err != nil {
			return err
		}
	}
	second.file("etc/.wh.motd", 0o644, 0, "")
	img := mutate.ConfigMediaType(mutate.MediaType(empty.Image, types.OCIManifestSchema1), types.OCIConfigJSON)
	for i, l := range []layerFS{first, second} {
		layer, err := l.layer()
		if err != nil {
			return err
		}
		by := []string{"debootstrap-like: " + strings.Join(basePackages, " "), "apt-get install sudo"}[i]
		if img, err = mutate.Append(img, mutate.Addendum{Layer: layer, MediaType: types.OCILayer, History: v1.History{Created: v1.Time{Time: baseTime}, CreatedBy: by}}); err != nil {
			return err
		}
	}
	cf, err := img.ConfigFile()
	if err != nil {
		return err
	}
	cf = cf.DeepCopy()
	cf.OS, cf.Architecture, cf.Created, cf.Config = "linux", "amd64", v1.Time{Time: baseTime}, *BaseConfig.DeepCopy()
	// A history entry without a layer, as a Dockerfile's ENV makes.
	cf.History = append(cf.History, v1.History{Created: v1.Time{Time: baseTime}, CreatedBy: "ENV DEBIAN_FRONTEND=noninteractive", EmptyLayer: true})
	if img, err = mutate.ConfigFile(img, cf); err != nil {
		return err
	}
	tmp, err := os.MkdirTemp(filepath.Dir(dir), filepath.Base(dir)+".tmp-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(tmp)
	p, err := layout.Write(tmp, empty.Index)
	if err != nil {
		return err
	}
	if err := p.AppendImage(img, layout.WithAnnotations(map[string]string{"org.opencontainers.image.ref.name": "debian:12-standin"})); err != nil {
		return err
	}
	if err := os.Rename(tmp, dir); err != nil && !os.IsExist(err) {
		if _, statErr := os.Stat(filepath.Join(dir, "index.json")); statErr != nil {
			return err
		}
	}
	return nil
}
