package rootfs

import (
	"fmt"
	"maps"
	"slices"
	"strings"
	"time"

	"github.com/nixlayer/nixlayer/internal/devcontainer"
	"github.com/nixlayer/nixlayer/internal/image"
	"github.com/nixlayer/nixlayer/internal/kind"
	"github.com/nixlayer/nixlayer/internal/platform"
	"github.com/nixlayer/nixlayer/internal/sbom"
	"github.com/nixlayer/nixlayer/internal/sets"
)

// Label keys nixlayer sets besides the org.opencontainers.image ones.
const (
	LabelKind     = "org.nixlayer.kind"
	LabelSets     = "org.nixlayer.sets"
	LabelNixpkgs  = "org.nixlayer.nixpkgs"
	LabelMetadata = "devcontainer.metadata"
	// LabelBaseDigest and LabelBaseName name the base image an image is
	// built on (the manifest's digest, and the reference it was given by),
	// as the OCI image spec's annotations of these keys do.
	LabelBaseDigest = "org.opencontainers.image.base.digest"
	LabelBaseName   = "org.opencontainers.image.base.name"
)

// ownPath are the PATH entries of nixlayer's programs: a devcontainer's
// Nix profiles, then the directories of the packages' programs.
func (in *Input) ownPath() []string {
	var own []string
	if in.Kind == kind.Devcontainer {
		own = []string{VSCode.Home + "/.nix-profile/bin", "/nix/var/nix/profiles/default/bin"}
	}
	return append(own, in.binDirs()...)
}

// defaultPath is PATH in an image whose config sets none, as container
// engines give it.
const defaultPath = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"

// path is the image's PATH: nixlayer's entries, then /bin on scratch, or
// on a base the base's PATH, without repeats.
func (in *Input) path() string {
	own := in.ownPath()
	if in.Base == nil {
		return strings.Join(append(own, "/bin"), ":")
	}
	base := defaultPath
	for _, kv := range in.Base.Config.Env {
		if v, ok := strings.CutPrefix(kv, "PATH="); ok {
			base = v
		}
	}
	for _, d := range strings.Split(base, ":") {
		if d != "" && !slices.Contains(own, d) {
			own = append(own, d)
		}
	}
	return strings.Join(own, ":")
}

// profileScript keeps nixlayer's PATH entries first in login shells on a
// base, whose /etc/profile sets PATH anew and runs the scripts of
// /etc/profile.d.
const profileScript = "/etc/profile.d/nixlayer.sh"

// loginPath is profileScript for the entries own: it moves them to the
// front of PATH, in order, keeping the rest.
func loginPath(own []string) string {
	return `# nixlayer: login shells keep the Nix profiles and the image's programs
# first in PATH, as the image's config has them.
nixlayer_own=` + strings.Join(own, ":") + `
nixlayer_rest=
nixlayer_ifs=$IFS
IFS=:
for nixlayer_d in $PATH; do
  case ":$nixlayer_own:" in *":$nixlayer_d:"*) ;; *) nixlayer_rest="$nixlayer_rest:$nixlayer_d" ;; esac
done
IFS=$nixlayer_ifs
PATH="$nixlayer_own$nixlayer_rest"
export PATH
unset nixlayer_own nixlayer_rest nixlayer_ifs nixlayer_d
`
}

// env is the image's environment besides PATH.
func env(in *Input) []string {
	var e []string
	if in.out("cacert") != "" {
		e = append(e, "SSL_CERT_FILE="+in.certFile())
	}
	if tz := in.out("tzdata"); tz != "" {
		e = append(e, "TZDIR="+tz+"/share/zoneinfo")
	}
	if javaHome(in) != "" {
		e = append(e, "JAVA_HOME="+sets.JavaHome)
	}
	if in.Kind == kind.Devcontainer && in.compat() && !in.baseLoader() {
		e = append(e, "LD_LIBRARY_PATH="+CompatLibDir)
	}
	return append(e, "LANG=C.UTF-8")
}

// Config returns the image config of in, created at epoch.
func Config(in Input, epoch time.Time) (image.Config, error) {
	p, err := platform.Parse(in.System)
	if err != nil {
		return image.Config{}, fmt.Errorf("making the image config: %w", err)
	}
	c := image.Config{
		OS: p.OS, Architecture: p.Architecture, Variant: p.Variant,
		Env:     append([]string{"PATH=" + in.path()}, env(&in)...),
		Created: epoch,
		Labels: map[string]string{
			"org.opencontainers.image.created":     epoch.UTC().Format(time.RFC3339),
			"org.opencontainers.image.title":       "nixlayer " + string(in.Kind),
			"org.opencontainers.image.description": fmt.Sprintf("A nixlayer %s image of the sets %s.", in.Kind, strings.Join(in.Sets, ", ")),
			LabelKind:                              string(in.Kind),
			LabelSets:                              strings.Join(in.Sets, ","),
			LabelNixpkgs:                           in.Nixpkgs,
		},
	}
	if in.SBOM != nil {
		c.Labels[sbom.Label] = sbom.Digest(in.SBOM)
	}
	if in.out("bashInteractive") != "" {
		c.Cmd = []string{"/bin/bash"}
	}
	switch in.Kind {
	case kind.Devcontainer:
		c.User, c.WorkingDir = VSCode.Name, VSCode.Home
		meta, err := metadata(&in)
		if err != nil {
			return image.Config{}, err
		}
		c.Labels[LabelMetadata] = meta
	case kind.Runtime:
		c.User, c.WorkingDir = fmt.Sprintf("%d:%d", App.UID, App.UID), App.Home
	}
	if in.Base != nil {
		onBaseConfig(&c, in.Base)
	}
	return c, nil
}

// onBaseConfig keeps the base's config in c where nixlayer sets nothing:
// the base's environment variables after PATH (which puts nixlayer's
// entries before the base's), the base's labels under nixlayer's, with
// the base's digest and name, and the base's entrypoint with its command,
// when it has one, or else its command when nixlayer has none. The user
// and working directory are nixlayer's.
func onBaseConfig(c *image.Config, b *Base) {
	ours := map[string]bool{}
	for _, kv := range c.Env {
		k, _, _ := strings.Cut(kv, "=")
		ours[k] = true
	}
	env := c.Env[:1:1]
	for _, kv := range b.Config.Env {
		if k, _, _ := strings.Cut(kv, "="); !ours[k] {
			env = append(env, kv)
		}
	}
	c.Env = append(env, c.Env[1:]...)
	labels := maps.Clone(b.Config.Labels)
	if labels == nil {
		labels = map[string]string{}
	}
	maps.Copy(labels, c.Labels)
	labels[LabelBaseDigest] = b.Digest
	if b.Name != "" {
		labels[LabelBaseName] = b.Name
	}
	c.Labels = labels
	switch {
	case len(b.Config.Entrypoint) > 0:
		c.Entrypoint, c.Cmd = slices.Clone(b.Config.Entrypoint), slices.Clone(b.Config.Cmd)
	case c.Cmd == nil:
		c.Cmd = slices.Clone(b.Config.Cmd)
	}
}

// metadata is the devcontainer.metadata label: the devcontainer.json
// properties the image brings, as the devcontainer spec defines it (a JSON
// array of objects, merged by tools with the user's devcontainer.json).
func metadata(in *Input) (string, error) {
	containerEnv := map[string]string{}
	for _, kv := range env(in) {
		k, v, _ := strings.Cut(kv, "=")
		containerEnv[k] = v
	}
	return devcontainer.Label(devcontainer.Metadata{
		RemoteUser: VSCode.Name, ContainerEnv: containerEnv,
		// An array runs without a shell.
		OnCreateCommand: []string{OwnNix},
		Customizations:  devcontainer.Customizations(in.Extensions, in.Settings),
	})
}
