package rootfs

import (
	"fmt"
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
)

// pathOf is PATH in each kind of image.
func pathOf(k kind.Kind) string {
	if k == kind.Devcontainer {
		return "/home/vscode/.nix-profile/bin:/nix/var/nix/profiles/default/bin:/usr/bin:/usr/sbin:/bin"
	}
	return "/usr/bin:/usr/sbin:/bin"
}

// env is the image's environment besides PATH.
func env(in *Input) []string {
	var e []string
	if in.out("cacert") != "" {
		e = append(e, "SSL_CERT_FILE=/etc/ssl/certs/ca-bundle.crt")
	}
	if tz := in.out("tzdata"); tz != "" {
		e = append(e, "TZDIR="+tz+"/share/zoneinfo")
	}
	if javaHome(in) != "" {
		e = append(e, "JAVA_HOME="+sets.JavaHome)
	}
	if in.Kind == kind.Devcontainer && in.has("vscodeCompat") {
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
		Env:     append([]string{"PATH=" + pathOf(in.Kind)}, env(&in)...),
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
	return c, nil
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
