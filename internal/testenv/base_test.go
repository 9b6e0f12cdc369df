package testenv

import (
	"archive/tar"
	"io"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/google/go-containerregistry/pkg/v1/layout"
	"github.com/google/go-containerregistry/pkg/v1/mutate"
	"github.com/google/go-containerregistry/pkg/v1/validate"
)

// TestDebianBase checks the stand-in base image: a valid image, made the
// same twice, whose flattened filesystem merges /usr, has Debian's
// os-release, the accounts BaseUsers, a setuid sudo and a CA bundle, and
// lacks the file its second layer removes.
func TestDebianBase(t *testing.T) {
	start := time.Now()
	dir := DebianBase(t)
	t.Logf("the base image: %s (%v)", dir, time.Since(start))
	idx, err := layout.ImageIndexFromPath(dir)
	if err != nil {
		t.Fatal(err)
	}
	m, err := idx.IndexManifest()
	if err != nil || len(m.Manifests) != 1 {
		t.Fatalf("index %v, %v; want one image", m, err)
	}
	img, err := idx.Image(m.Manifests[0].Digest)
	if err != nil {
		t.Fatal(err)
	}
	if err := validate.Image(img); err != nil {
		t.Fatal(err)
	}
	// Made again from scratch, the image is the same.
	debs, _, err := baseDebs(Universe(t) + "/debs")
	if err != nil {
		t.Fatal(err)
	}
	again := t.TempDir() + "/again"
	if err := makeBase(again, debs); err != nil {
		t.Fatal(err)
	}
	idx2, err := layout.ImageIndexFromPath(again)
	if err != nil {
		t.Fatal(err)
	}
	m2, _ := idx2.IndexManifest()
	if m2.Manifests[0].Digest != m.Manifests[0].Digest {
		t.Errorf("made again: %s, first %s", m2.Manifests[0].Digest, m.Manifests[0].Digest)
	}
	files := map[string]*tar.Header{}
	data := map[string]string{}
	r := mutate.Extract(img)
	defer r.Close()
	tr := tar.NewReader(r)
	for {
		h, err := tr.Next()
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatal(err)
		}
		files[h.Name] = h
		if strings.HasPrefix(h.Name, "etc/") || strings.HasPrefix(h.Name, "usr/lib/os-release") {
			b, _ := io.ReadAll(tr)
			data[h.Name] = string(b)
		}
	}
	for name, want := range map[string]string{"bin": "usr/bin", "lib64": "usr/lib64", "etc/os-release": "../usr/lib/os-release"} {
		if h := files[name]; h == nil || h.Typeflag != tar.TypeSymlink || h.Linkname != want {
			t.Errorf("%s: %v, want a link to %s", name, h, want)
		}
	}
	if h := files["usr/bin/sudo"]; h == nil || h.Mode&0o4000 == 0 {
		t.Errorf("usr/bin/sudo: %v, want setuid", h)
	}
	for _, name := range []string{"usr/bin/bash", "usr/bin/ls", "usr/lib/x86_64-linux-gnu/libc.so.6", "etc/sudoers"} {
		if files[name] == nil {
			t.Errorf("the base has no %s", name)
		}
	}
	if files["etc/motd"] != nil {
		t.Error("the base has /etc/motd, which its second layer removes")
	}
	if !strings.Contains(data["usr/lib/os-release"], "ID=debian") || !strings.Contains(data["etc/ssl/certs/ca-certificates.crt"], "BEGIN CERTIFICATE") {
		t.Errorf("os-release %q, or no CA bundle", data["usr/lib/os-release"])
	}
	for _, u := range BaseUsers {
		name, id, _ := strings.Cut(u, ":")
		if !strings.Contains(data["etc/passwd"], name+":x:"+id+":") {
			t.Errorf("/etc/passwd lacks %s:\n%s", u, data["etc/passwd"])
		}
	}
	if _, err := os.Stat(dir + "/oci-layout"); err != nil {
		t.Error(err)
	}
}
