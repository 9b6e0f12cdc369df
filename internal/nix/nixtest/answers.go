package nixtest

import (
	"context"
	"encoding/json"
	"fmt"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"github.com/nixlayer/nixlayer/internal/nix"
)

// globalFlags are the global flags of nix that take values, with how
// many: those that nix.Driver puts first, and --option.
var globalFlags = map[string]int{"--extra-experimental-features": 1, "--log-format": 1, "--store": 1, "--option": 2}

// exec answers the command line args, which follows the binary: global
// flags, the subcommand, its flags, "--" and its operands.
func (n *Nix) exec(ctx context.Context, args []string) ([]byte, error) {
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	i := 0
	for i < len(args) && strings.HasPrefix(args[i], "-") {
		if args[i] == "--store" && i+1 < len(args) && args[i+1] != n.Root {
			return nil, n.fail("", args, "error: nixtest: --store %s is not the fake's store %s", args[i+1], n.Root)
		}
		i += 1 + globalFlags[args[i]]
	}
	if i >= len(args) {
		return nil, n.fail("", args, "error: no subcommand specified")
	}
	sub, rest := args[i], args[i+1:]
	if sub == "derivation" && len(rest) > 0 {
		sub, rest = sub+" "+rest[0], rest[1:]
	}
	n.mu.Lock()
	defer n.mu.Unlock()
	n.calls = append(n.calls, sub)
	if slices.Contains(n.refused, sub) {
		return nil, n.fail(sub, args, "error: nixtest: nix %s is refused by the test", sub)
	}
	flags, ops := splitOperands(rest)
	want := map[string][]string{"eval": {"--json"}, "build": {"--json", "--no-link"}, "path-info": {"--json", "--recursive"}, "show-derivation": {"--recursive"}}[sub]
	for _, f := range flags {
		if !slices.Contains(want, f) && f != "--no-write-lock-file" {
			return nil, n.fail(sub, args, "error: nixtest: %s does not answer %s", sub, f)
		}
	}
	for _, f := range want {
		if !slices.Contains(flags, f) {
			return nil, n.fail(sub, args, "error: nixtest: %s answers with %s only", sub, f)
		}
	}
	switch sub {
	case "eval":
		return n.eval(args, ops)
	case "build":
		return n.build(args, ops)
	case "path-info":
		return n.pathInfo(args, ops)
	case "show-derivation":
		return n.showDerivation(args, ops)
	}
	// As Nix 2.8 says of "nix derivation show", which came in Nix 2.15.
	return nil, n.fail(sub, args, "error: '%s' is not a recognised command\nTry 'nix --help' for more information.", strings.Fields(sub)[0])
}

// splitOperands splits a subcommand's arguments into its flags and the
// operands after "--".
func splitOperands(args []string) (flags, ops []string) {
	for i, a := range args {
		if a == "--" {
			return flags, args[i+1:]
		}
		flags = append(flags, a)
	}
	return flags, nil
}

// fail is the error of a command that nix ended with exit code 1 after
// printing the error message.
func (n *Nix) fail(sub string, args []string, format string, a ...any) error {
	return nix.NewCommandError(sub, append([]string{n.Bin}, args...), 1, fmt.Sprintf(format, a...)+"\n")
}

// installable splits "path:DIR#ATTR" and checks that DIR holds a flake.
func (n *Nix) installable(sub string, args []string, ref string) (dir, attr string, err error) {
	dir, attr, ok := strings.Cut(strings.TrimPrefix(ref, "path:"), "#")
	if !ok || !strings.HasPrefix(ref, "path:") {
		return "", "", n.fail(sub, args, "error: nixtest: %q is not an installable of a work directory (path:DIR#ATTR)", ref)
	}
	if _, err := os.Stat(filepath.Join(dir, "flake.nix")); err != nil {
		return "", "", n.fail(sub, args, "error: getting status of '%s/flake.nix': No such file or directory", dir)
	}
	return dir, attr, nil
}

// request is what the fake reads of the work directory's request.json
// (see flake.Request).
type request struct {
	Attrs    []string `json:"attrs"`
	Overlays []string `json:"overlays"`
	Lenient  bool     `json:"lenient"`
}

// eval answers the plan of a work directory: nix/plan.nix's output, as
// nix eval --json prints an attribute set (its names sorted).
func (n *Nix) eval(args, ops []string) ([]byte, error) {
	if len(ops) != 1 {
		return nil, n.fail("eval", args, "error: nixtest: eval of %d installables", len(ops))
	}
	dir, attr, err := n.installable("eval", args, ops[0])
	if err != nil {
		return nil, err
	}
	if attr != "nixlayer."+n.System {
		return nil, n.fail("eval", args, "error: flake 'path:%s' does not provide attribute '%s'", dir, attr)
	}
	data, err := os.ReadFile(filepath.Join(dir, "request.json"))
	if err != nil {
		return nil, n.fail("eval", args, "error: opening file '%s/request.json': No such file or directory", dir)
	}
	var req request
	if err := json.Unmarshal(data, &req); err != nil {
		return nil, n.fail("eval", args, "error: nixtest: request.json: %v", err)
	}
	if len(req.Overlays) > 0 {
		return nil, n.fail("eval", args, "error: nixtest: overlays are not modelled")
	}
	missing, packages := []string{}, []any{}
	for _, a := range req.Attrs {
		out, ok := n.attrs[a]
		if !ok {
			missing = append(missing, a)
			continue
		}
		drv := n.drvs[n.paths[out].deriver]
		pname, version := nix.ParseDrvName(drv.name)
		packages = append(packages, map[string]any{
			"attr": a, "name": drv.name, "out": out, "drvPath": drv.path, "pname": pname, "version": version,
			"src":      map[string]any{"url": n.fetchOf(drv.src).url, "owner": nil, "repo": nil, "rev": nil, "tag": nil, "gitRepoUrl": nil},
			"patches":  []any{},
			"licenses": []string{"MIT"}, "identifiers": nil,
		})
	}
	if !req.Lenient && len(missing) > 0 {
		packages = []any{}
	}
	return marshal(map[string]any{"missing": missing, "notPackages": []string{}, "failing": []string{}, "packages": packages})
}

// fetchOf returns the fetch of the source src.
func (n *Nix) fetchOf(src string) *fetch {
	for _, d := range n.drvs {
		if d.out == src && d.fetch != nil {
			return d.fetch
		}
	}
	return &fetch{}
}

// buildResult is one entry of nix build --json, as Nix 2.8 prints it:
// [{"drvPath":"/nix/store/…-hello.drv","outputs":{"out":"/nix/store/…-hello"}}].
type buildResult struct {
	DrvPath string            `json:"drvPath"`
	Outputs map[string]string `json:"outputs"`
}

// build builds packages of the fake nixpkgs.
func (n *Nix) build(args, ops []string) ([]byte, error) {
	results := []buildResult{}
	for _, op := range ops {
		dir, attr, err := n.installable("build", args, op)
		if err != nil {
			return nil, err
		}
		out, ok := n.attrs[strings.TrimPrefix(attr, "legacyPackages."+n.System+".")]
		if !ok || !strings.HasPrefix(attr, "legacyPackages."+n.System+".") {
			return nil, n.fail("build", args, "error: flake 'path:%s' does not provide attribute '%s'", dir, attr)
		}
		if err := n.realise(out); err != nil {
			return nil, n.fail("build", args, "error: nixtest: building %s: %v", out, err)
		}
		results = append(results, buildResult{DrvPath: n.paths[out].deriver, Outputs: map[string]string{"out": out}})
	}
	return marshal(results)
}

// pathInfo is an entry of nix path-info --json, as Nix 2.8 prints it:
// [{"path":"/nix/store/…-fzf-0.57.0","narHash":"sha256-…","narSize":640,
// "references":["/nix/store/…-bash-5.2p15"],"deriver":"/nix/store/…-fzf-0.57.0.drv",
// "registrationTime":1796536549,"ultimate":true}, …], sorted by path.
type pathInfo struct {
	Path             string   `json:"path"`
	NarHash          string   `json:"narHash"`
	NarSize          int64    `json:"narSize"`
	References       []string `json:"references"`
	Deriver          string   `json:"deriver"`
	RegistrationTime int64    `json:"registrationTime"`
	Ultimate         bool     `json:"ultimate"`
}

// pathInfo answers the closure of store paths in the store.
func (n *Nix) pathInfo(args, ops []string) ([]byte, error) {
	closure := map[string]bool{}
	var walk func(p string)
	walk = func(p string) {
		if !closure[p] {
			closure[p] = true
			for _, r := range n.paths[p].refs {
				walk(r)
			}
		}
	}
	for _, p := range ops {
		if !n.valid[p] {
			// As Nix 2.8 says of a path that is not in the store.
			return nil, n.fail("path-info", args, "error: path '%s' is not valid", p)
		}
		walk(p)
	}
	infos := []pathInfo{}
	for _, p := range slices.Sorted(maps.Keys(closure)) {
		sp := n.paths[p]
		h, size := sp.info()
		infos = append(infos, pathInfo{Path: p, NarHash: h, NarSize: size, References: append([]string{}, sp.refs...), Deriver: sp.deriver, RegistrationTime: 1796536549, Ultimate: true})
	}
	return marshal(infos)
}

// derivationJSON is a derivation as Nix 2.8's show-derivation prints it:
// {"outputs":{"out":{"path":…}},"inputSrcs":[…],"inputDrvs":{"/nix/store/…-bash.drv":["out"]},
// "system":…,"builder":…,"args":[…],"env":{…}}, a fixed output with its
// "hashAlgo" and "hash" (hex), and a fetch with the env of nixpkgs'
// fetchurl (pkgs/build-support/fetchurl/default.nix): urls, outputHash,
// outputHashMode "flat".
type derivationJSON struct {
	Outputs   map[string]map[string]string `json:"outputs"`
	InputSrcs []string                     `json:"inputSrcs"`
	InputDrvs map[string][]string          `json:"inputDrvs"`
	System    string                       `json:"system"`
	Builder   string                       `json:"builder"`
	Args      []string                     `json:"args"`
	Env       map[string]string            `json:"env"`
}

// showDerivation answers derivations and everything they depend on.
func (n *Nix) showDerivation(args, ops []string) ([]byte, error) {
	const builder = "/nix/store/9nr5xh37wy1gx5sv9j1cj9if5svcw4lj-bb/busybox"
	out := map[string]derivationJSON{}
	var walk func(p string) error
	walk = func(p string) error {
		if _, done := out[p]; done {
			return nil
		}
		d, ok := n.drvs[p]
		if !ok {
			return n.fail("show-derivation", args, "error: path '%s' is not valid", p)
		}
		j := derivationJSON{Outputs: map[string]map[string]string{"out": {"path": d.out}}, InputSrcs: []string{}, InputDrvs: map[string][]string{},
			System: n.System, Builder: builder, Args: []string{"sh", "-eu", "build.sh"},
			Env: map[string]string{"builder": builder, "name": d.name, "out": d.out, "outputs": "out", "system": n.System}}
		if d.fetch != nil {
			j.Outputs["out"]["hashAlgo"], j.Outputs["out"]["hash"] = "sha256", d.fetch.hash
			j.Env["urls"], j.Env["outputHash"], j.Env["outputHashMode"] = d.fetch.url, d.fetch.hash, "flat"
		} else {
			j.Env["pname"], j.Env["version"] = nix.ParseDrvName(d.name)
			j.Env["patches"] = ""
			if d.src != "" {
				j.Env["src"] = d.src
			}
		}
		out[p] = j
		for _, in := range d.inputDrvs {
			j.InputDrvs[in] = []string{"out"}
			if err := walk(in); err != nil {
				return err
			}
		}
		return nil
	}
	for _, p := range ops {
		if err := walk(p); err != nil {
			return nil, err
		}
	}
	return marshal(out)
}

// marshal is v as nix prints JSON, with a newline.
func marshal(v any) ([]byte, error) {
	data, err := json.Marshal(v)
	if err != nil {
		return nil, err
	}
	return append(data, '\n'), nil
}
