package devshell

import (
	"fmt"
	"strings"

	"github.com/nixlayer/nixlayer/internal/flake"
	"github.com/nixlayer/nixlayer/internal/sets"
)

// Default is the name of the request's dev shell, the one nix develop
// opens when none is named.
const Default = "default"

// Dir is the directory, next to the .envrc, that nixlayer envrc writes
// the flake into.
const Dir = ".nixlayer"

// Request returns req with its dev shells: Default, of req's attributes,
// and one per set of catalog, of the set's attributes. A set named
// Default is left out: the name is the request's.
func Request(req flake.Request, catalog sets.Catalog) flake.Request {
	shells := map[string][]string{}
	for _, s := range catalog.Sets() {
		shells[s.Name] = s.Attrs
	}
	var attrs []string
	for _, a := range req.Attrs {
		attrs = append(attrs, a.Path)
	}
	shells[Default] = attrs
	req.Shells = shells
	return req
}

// Envrc is the .envrc of a project whose Dir nixlayer envrc wrote for the
// sets and the extra packages: direnv reloads it when Dir's request or
// lock changes, and it uses the Default shell with direnv's use flake (or
// nix-direnv's, which caches it). The reference is a path: flake, so Nix
// copies Dir as it is, whether the project is a git repository that
// tracks it or not.
func Envrc(sets, packages []string) []byte {
	cmd := "nixlayer envrc --sets " + strings.Join(sets, ",")
	if len(packages) > 0 {
		cmd += " --packages " + strings.Join(packages, ",")
	}
	return fmt.Appendf(nil, `# Written by %s: the dev shell of these
# sets, with the store paths of nixlayer's images of them, from the nixpkgs
# that %s/flake.lock pins. Run it again after changing the sets or
# nixlayer.yaml; nix develop path:./%s opens the same shell.
watch_file %s/request.json %s/flake.lock
use flake path:./%s#%s
`, cmd, Dir, Dir, Dir, Dir, Dir, Default)
}
