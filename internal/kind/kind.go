package kind

import (
	"slices"
	"strings"

	"github.com/nixlayer/nixlayer/internal/sets"
	"github.com/nixlayer/nixlayer/internal/usererr"
)

// Kind is the kind of image: a devcontainer or a runtime image.
type Kind string

const (
	// Devcontainer is an image for VS Code and the devcontainer CLI: user
	// vscode with sudo, direnv and Nix.
	Devcontainer Kind = "devcontainer"
	// Runtime is an image to run an application: user app, not root, with
	// no development tools, no Nix and no setuid file.
	Runtime Kind = "runtime"
)

// All are the kinds in the order help lists them.
var All = []Kind{Devcontainer, Runtime}

// Parse returns the kind named s, in any case ("RUNTIME" is Runtime), or
// an error that wraps usererr.ErrBadInput.
func Parse(s string) (Kind, error) {
	k := Kind(strings.ToLower(s))
	if !slices.Contains(All, k) {
		return "", usererr.Errorf("unknown kind of image %q; nixlayer builds %s and %s", s, Devcontainer, Runtime)
	}
	return k, nil
}

// DefaultSets is the set spec a kind builds when none is given.
func (k Kind) DefaultSets() string {
	if k == Devcontainer {
		return "base,vscodeCompat,devTools,nixTools"
	}
	return "base"
}

// DefaultTag is the name of the kind's images in nixlayer's outputs when
// none is given, such as "nixlayer/runtime:latest".
func (k Kind) DefaultTag() string { return "nixlayer/" + string(k) + ":latest" }

// Describe names an image of kind k built from spec (the sets as given;
// "" for the kind's) and packages, as a scan report's title names it:
// "runtime image of base,python and htop".
func (k Kind) Describe(spec string, packages []string) string {
	if spec == "" {
		spec = k.DefaultSets()
	}
	s := string(k) + " image of " + spec
	if len(packages) > 0 {
		s += " and " + strings.Join(packages, ",")
	}
	return s
}

// Editor is what an editor needs of a devcontainer to attach: VS Code's
// remote server, OpenVSCode and JetBrains' backend download a tarball,
// unpack it with tar and gzip, and run a Node.js (or a JVM) built for
// glibc distributions through the FHS loader, which links the C++
// runtime; their scripts run ps and getent. It is the vscodeCompat set's
// attributes, which every devcontainer carries whatever its sets are.
var Editor = []string{"glibc", "stdenv.cc.cc.lib", "gnutar", "gzip", "procps", "getent"}

// Required are the attributes the kind's customisation needs, added to
// every selection that lacks them: a devcontainer needs bash for its
// users' shell, coreutils and sed for the devcontainer CLI's UID update,
// sudo, Nix, direnv and nix-direnv, and what an editor needs to attach
// (Editor). A runtime image needs nothing.
func (k Kind) Required() []string {
	if k == Devcontainer {
		return append([]string{"bashInteractive", "coreutils", "gnused", "sudo", "nix", "direnv", "nix-direnv"}, Editor...)
	}
	return nil
}

// Forbidden are the attributes a kind refuses: a runtime image has no sudo
// and no Nix.
func (k Kind) Forbidden() []string {
	if k == Runtime {
		return []string{"sudo", "nix"}
	}
	return nil
}

// Check returns an error that wraps usererr.ErrBadInput if attrs holds an
// attribute the kind refuses, naming it and where it came from.
func (k Kind) Check(attrs []sets.Attr) error {
	for _, a := range attrs {
		if slices.Contains(k.Forbidden(), a.Path) {
			return usererr.Errorf("a %s image cannot hold %q (from %s)", k, a.Path, a.Origin)
		}
	}
	return nil
}

// WithRequired returns attrs with the kind's required attributes that it
// lacks appended, with the kind as their origin. They are the same on a
// base image, so that its store layers are those of the image on no
// base; there, a base with its own FHS loader keeps its own loader and
// libraries (see rootfs), and its other programs come after nixlayer's in
// PATH.
func (k Kind) WithRequired(attrs []sets.Attr) []sets.Attr {
	out := slices.Clone(attrs)
	for _, r := range k.Required() {
		if !slices.ContainsFunc(out, func(a sets.Attr) bool { return a.Path == r }) {
			out = append(out, sets.Attr{Path: r, Origin: string(k)})
		}
	}
	return out
}

// Added are the attributes of attrs that the kind added to the
// selection (their origin is the kind), in order.
func (k Kind) Added(attrs []sets.Attr) []string {
	var out []string
	for _, a := range attrs {
		if a.Origin == string(k) {
			out = append(out, a.Path)
		}
	}
	return out
}
