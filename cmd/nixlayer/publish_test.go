package main

import (
	"io"
	"log"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/google/go-containerregistry/pkg/name"
	"github.com/google/go-containerregistry/pkg/registry"
	"github.com/google/go-containerregistry/pkg/v1/remote"
)

// countingRegistry is an in-process registry that counts blob uploads.
type countingRegistry struct {
	*httptest.Server
	mu      sync.Mutex
	uploads int
}

func newCountingRegistry(t *testing.T) *countingRegistry {
	r := &countingRegistry{}
	reg := registry.New(registry.Logger(log.New(io.Discard, "", 0)))
	r.Server = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		if strings.Contains(req.URL.Path, "/blobs/uploads/") {
			r.mu.Lock()
			r.uploads++
			r.mu.Unlock()
		}
		reg.ServeHTTP(w, req)
	}))
	t.Cleanup(r.Close)
	return r
}

func (r *countingRegistry) take() int {
	r.mu.Lock()
	defer r.mu.Unlock()
	n := r.uploads
	r.uploads = 0
	return n
}

// TestPublish pushes a built layout to a local registry: the pushed digest
// is the layout's, a second push uploads no blob, and publish of a kind
// builds the same image and pushes nothing new.
func TestPublish(t *testing.T) {
	buildEnv(t)
	s, _, _ := build(t, "runtime", "base")
	layout := filepath.Join(t.TempDir(), "layout")
	if code, _, stderr := cli(t, "build", "runtime", "--sets", "base", "--oci-layout", layout, "-q"); code != exitOK {
		t.Fatalf("build: %s", stderr)
	}
	reg := newCountingRegistry(t)
	repo := strings.TrimPrefix(reg.URL, "http://") + "/acme/runtime"
	want := repo + ":1@" + s.Digest + "\n" + repo + ":latest@" + s.Digest + "\n"

	code, stdout, stderr := cli(t, "publish", "--oci-layout", layout, "--address", repo+":1", "--tag", "latest", "-q")
	if code != exitOK || stdout != want {
		t.Fatalf("publish: exit status %d, %q, %s; want %q", code, stdout, stderr, want)
	}
	if n := reg.take(); n == 0 {
		t.Error("the first push uploaded no blob")
	}
	ref, err := name.ParseReference(repo + ":latest")
	if err != nil {
		t.Fatal(err)
	}
	if desc, err := remote.Get(ref); err != nil || desc.Digest.String() != s.Digest {
		t.Errorf("the registry has %v (%v), want %s", desc, err, s.Digest)
	}

	code, stdout, stderr = cli(t, "publish", "--oci-layout", layout, "--address", repo+":1", "--tag", "latest", "-q")
	if code != exitOK || stdout != want {
		t.Fatalf("second publish: exit status %d, %q, %s", code, stdout, stderr)
	}
	if n := reg.take(); n != 0 {
		t.Errorf("a second push of the same image made %d blob upload requests, want none", n)
	}

	code, stdout, stderr = cli(t, "publish", "runtime", "--sets", "base", "--address", repo+":2", "-q")
	if code != exitOK || stdout != repo+":2@"+s.Digest+"\n" {
		t.Fatalf("publish runtime: exit status %d, %q, %s", code, stdout, stderr)
	}
	if n := reg.take(); n != 0 {
		t.Errorf("publishing the same image under another tag made %d blob upload requests, want none", n)
	}
}
