package refs

import (
	"net"
	"slices"
	"strings"

	"github.com/google/go-containerregistry/pkg/name"

	"github.com/nixlayer/nixlayer/internal/usererr"
)

// Publish returns the references to push one image to: address, such
// as "ghcr.io/acme/app/runtime:2026-11-22", then its repository with each
// of tags that differs from address's tag, in order and without repeats.
// An address that go-containerregistry's name package does not parse, one
// with a digest, or a malformed tag, is an error that wraps
// usererr.ErrBadInput. The references keep the address as written (ggcr
// would name docker.io's images index.docker.io/library/…).
func Publish(address string, tags []string) ([]string, error) {
	ref, err := name.ParseReference(address)
	if err != nil {
		return nil, usererr.Errorf("publishing: address %q is not an image reference, such as ghcr.io/acme/app/runtime:2026-11-22", address)
	}
	if _, ok := ref.(name.Digest); ok {
		return nil, usererr.Errorf("publishing: address %q has a digest; give a tag, or none for latest", address)
	}
	repo := address
	if tag := ref.(name.Tag).TagStr(); strings.HasSuffix(address, ":"+tag) {
		repo = strings.TrimSuffix(address, ":"+tag)
	}
	refs := []string{address}
	for _, t := range tags {
		// ggcr checks the characters and the length; the distribution
		// spec also refuses a tag that starts with '.' or '-'.
		if _, err := name.NewTag(repo+":"+t, name.StrictValidation); err != nil || t == "" || t[0] == '.' || t[0] == '-' || strings.ContainsAny(t, ":/@") {
			return nil, usererr.Errorf("publishing: tag %q is not a valid tag: up to 128 letters, digits, '_', '.' and '-', not starting with '.' or '-'", t)
		}
		ref := repo + ":" + t
		if !slices.Contains(refs, ref) {
			refs = append(refs, ref)
		}
	}
	return refs, nil
}

// Image returns an error that wraps usererr.ErrBadInput if ref, given with
// the flag called flag (such as "--go-image"), is not an image reference
// that go-containerregistry's name package parses.
func Image(flag, ref string) error {
	if _, err := name.ParseReference(ref); err != nil {
		return usererr.Errorf("%s %q is not an image reference, such as registry.example/name:tag", flag, ref)
	}
	return nil
}

// FromContainer returns an error that wraps usererr.ErrBadInput if address
// is on the loopback interface, where a push from a container, such as the
// Dagger module's, cannot reach it.
func FromContainer(address string) error {
	if Loopback(address) {
		return usererr.Errorf("publishing: %s is on the loopback interface, which the engine's containers do not reach (the push runs in one): push to an address they reach, such as the host's address on its network (172.17.0.1:5000 for an engine in Docker on Linux, host.docker.internal:5000 in Docker Desktop)", address)
	}
	return nil
}

// Loopback reports whether address's registry is on the loopback
// interface of the machine that pushes (localhost, 127.0.0.0/8 or ::1,
// with or without a port): a registry there is reachable from the host,
// but not from inside a container with a network of its own.
func Loopback(address string) bool {
	ref, err := name.ParseReference(address)
	if err != nil {
		return false
	}
	host := ref.Context().RegistryStr()
	if h, _, err := net.SplitHostPort(host); err == nil {
		host = h
	}
	host = strings.Trim(host, "[]")
	if strings.EqualFold(host, "localhost") {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}
