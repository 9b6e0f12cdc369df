//go:build ignore

// regen.go writes catalog.json, next to it: a catalog of the real size of
// nixlayer's, in the planner's catalog format ([layers.Catalog]), made
// from Debian 12's package indices through apt. Run it on purpose, from
// the repository root, after apt-get update; CI never does:
//
//	go run ./internal/layers/layerstest/testdata/debian/regen.go
//
// Each catalog attribute of the built-in sets maps to the Debian package
// that ships the same program (the attrs table below, the one place the
// map is written down). The catalog's graph is the runtime closure of
// those packages, as apt-cache show states it:
//
//   - one store path per Debian package, named after the package and its
//     version, of the package's Installed-Size (KiB) as NAR size, with the
//     SHA256 of its .deb as a stand-in for the NAR hash (so a new version
//     is a new path);
//   - a path refers to the packages of its Depends and Pre-Depends: the
//     first alternative that is a real package, or the provider that the
//     virtuals table names; version constraints are ignored, since the
//     indices hold one candidate each;
//   - packages needed only while installing (the install table: debconf,
//     dpkg, adduser, ...) are left out, as Nix keeps no reference to what
//     only a build or an install script ran;
//   - packages that depend on one another in a cycle (libc6 and
//     libgcc-s1, for one) become one path, since a Nix closure has no
//     cycle: the sizes add up and the name joins the packages';
//   - a program Debian 12 lacks (the standins table: uv, ruff, bun, ...)
//     gets one path of the stated size, referring to the packages it
//     needs.
//
// apt runs with an empty dpkg status (Dir::State::status=/dev/null), so
// the candidates are the archive's, whatever this machine has installed.
// The program fails on a virtual package the virtuals table lacks, naming
// its providers, so the tables stay complete.
package main

import (
	"bytes"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"flag"
	"fmt"
	"maps"
	"os"
	"os/exec"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"github.com/nixlayer/nixlayer/internal/layers"
	"github.com/nixlayer/nixlayer/internal/nix"
)

// attrs maps each catalog attribute (internal/sets' built-in sets) to the
// Debian 12 package whose program it is, or to a stand-in's name. Where
// Debian's version differs from nixpkgs' (python3.11 for python312,
// nodejs 18 for nodejs_22, OpenJDK 17 for JDK 21), the closest one is
// taken.
var attrs = map[string]string{
	// base
	"bashInteractive": "bash", "coreutils": "coreutils", "findutils": "findutils",
	"gnugrep": "grep", "gnused": "sed", "cacert": "ca-certificates", "tzdata": "tzdata",
	// vscodeCompat
	"glibc": "libc6", "stdenv.cc.cc.lib": "libstdc++6", "gnutar": "tar", "gzip": "gzip",
	"procps": "procps", "getent": "libc-bin",
	// devTools; nixpkgs' shadow is Debian's passwd (useradd, usermod, ...)
	"git": "git", "curl": "curl", "jq": "jq", "ripgrep": "ripgrep", "fd": "fd-find",
	"fzf": "fzf", "bat": "bat", "shadow": "passwd", "sudo": "sudo",
	// nixTools
	"nix": "nix-bin", "direnv": "direnv", "nix-direnv": "nix-direnv",
	// python, pythonDev
	"python312":             "python3.11",
	"python312Packages.pip": "python3-pip", "python312Packages.virtualenv": "python3-virtualenv",
	"uv": "uv", "ruff": "ruff", "pyright": "pyright",
	// node, nodeDev
	"nodejs_22": "nodejs",
	"bun":       "bun", "typescript": "node-typescript", "prettier": "prettier", "eslint": "eslint",
	// go, goDev; golang-go is the golang-1.19 toolchain's symlinks
	"go": "golang-go", "gopls": "gopls", "golangci-lint": "golangci-lint",
	// rust, rustDev
	"rustc": "rustc", "cargo": "cargo",
	"rust-analyzer": "rust-analyzer", "clippy": "rust-clippy", "rustfmt": "rustfmt",
	// bash
	"shellcheck": "shellcheck", "shfmt": "shfmt", "bats": "bats",
	// java, javaDev: Temurin's JRE has no Debian package; OpenJDK's
	// headless JRE is the same kind of thing
	"temurin-jre-bin-21": "openjdk-17-jre-headless",
	"jdk21":              "openjdk-17-jdk", "maven": "maven", "gradle": "gradle",
	// cobol, cobolDev
	"gnucobol.lib": "libcob4", "gnucobol": "gnucobol3",
}

// standin is a program Debian 12 lacks: one path of the stated size.
type standin struct {
	mib  float64
	deps []string // Debian packages (or other stand-ins) it refers to
}

// standins are the programs of attrs that Debian 12 does not package. The
// sizes are those of the synthetic catalog's model (layerstest), which
// follows nixpkgs' closures: static Rust and Zig binaries (uv, ruff, bun,
// rust-analyzer) that link only glibc, node packages that refer to node,
// golangci-lint, which nixpkgs wraps with go, and nix-direnv, a shell
// script that refers to the programs it runs.
var standins = map[string]standin{
	"uv":            {35, []string{"libc6"}},
	"ruff":          {25, []string{"libc6"}},
	"pyright":       {20, []string{"nodejs"}},
	"bun":           {90, []string{"libc6"}},
	"prettier":      {8, []string{"nodejs"}},
	"golangci-lint": {45, []string{"golang-go"}},
	"rust-analyzer": {50, []string{"libc6"}},
	"nix-direnv":    {0.1, []string{"nix-bin", "bash", "coreutils", "grep", "direnv"}},
}

// virtuals names the package that provides each virtual package that the
// closure meets: the one already in the closure where there is one.
var virtuals = map[string]string{
	"awk":                    "mawk", // Debian's default awk
	"libc-dev":               "libc6-dev",
	"libgcc1":                "libgcc-s1",
	"libplexus-utils-java":   "libplexus-utils2-java",
	"node-import-fresh":      "node-resolve-from",
	"node-types-estree":      "node-eslint-visitor-keys",
	"node-types-json-schema": "node-json-schema",
	"perl-dbdabi-94":         "libdbi-perl",
	"perlapi-5.36.0":         "perl-base",
}

// install are the packages that only install scripts need: no program of
// the closure runs them.
var install = map[string]bool{
	"debconf": true, "debconf-2.0": true, "cdebconf": true, "dpkg": true, "adduser": true,
	"init-system-helpers": true, "install-info": true, "ucf": true, "lsb-base": true,
	"sysvinit-utils": true,
}

// apt runs apt-cache with an empty dpkg status, so that installed packages
// do not count.
func apt(args ...string) ([]byte, error) {
	cmd := exec.Command("apt-cache", append([]string{"-o", "Dir::State::status=/dev/null"}, args...)...)
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	out, err := cmd.Output()
	if err != nil {
		return nil, fmt.Errorf("apt-cache %s: %w: %s", strings.Join(args, " "), err, stderr.String())
	}
	return out, nil
}

// pkg is what apt-cache show says of one package.
type pkg struct {
	name, version, sha256 string
	kib                   int64
	depends               [][]string // clauses of alternatives, names only
}

var depName = regexp.MustCompile(`^([a-z0-9][a-z0-9+.-]*)(:[a-z0-9]+)?`)

// show returns the candidate of each of names that is a real package.
func show(names []string) (map[string]*pkg, error) {
	out := make(map[string]*pkg)
	// apt-cache show fails on a purely virtual name: keep the names that
	// apt-cache policy gives a candidate.
	real, err := candidates(names)
	if err != nil || len(real) == 0 {
		return out, err
	}
	data, err := apt(append([]string{"show", "--no-all-versions"}, real...)...)
	if err != nil {
		return nil, err
	}
	for _, stanza := range strings.Split(string(data), "\n\n") {
		fields := parseStanza(stanza)
		if fields["Package"] == "" {
			continue
		}
		p := &pkg{name: fields["Package"], version: fields["Version"], sha256: fields["SHA256"]}
		if p.kib, err = strconv.ParseInt(fields["Installed-Size"], 10, 64); err != nil {
			return nil, fmt.Errorf("package %s: Installed-Size %q: %w", p.name, fields["Installed-Size"], err)
		}
		for _, f := range []string{"Pre-Depends", "Depends"} {
			if fields[f] == "" {
				continue
			}
			for _, clause := range strings.Split(fields[f], ",") {
				var alts []string
				for _, alt := range strings.Split(clause, "|") {
					m := depName.FindStringSubmatch(strings.TrimSpace(alt))
					if m == nil {
						return nil, fmt.Errorf("package %s: cannot read %s %q", p.name, f, clause)
					}
					alts = append(alts, m[1])
				}
				p.depends = append(p.depends, alts)
			}
		}
		if _, dup := out[p.name]; !dup {
			out[p.name] = p
		}
	}
	return out, nil
}

// candidates returns those of names that have a candidate version.
func candidates(names []string) ([]string, error) {
	if len(names) == 0 {
		return nil, nil
	}
	data, err := apt(append([]string{"policy"}, names...)...)
	if err != nil {
		return nil, err
	}
	var out []string
	name := ""
	for _, line := range strings.Split(string(data), "\n") {
		switch {
		case !strings.HasPrefix(line, " ") && strings.HasSuffix(line, ":"):
			name = strings.TrimSuffix(line, ":")
		case strings.HasPrefix(strings.TrimSpace(line), "Candidate:") && !strings.Contains(line, "(none)"):
			out = append(out, name)
		}
	}
	return out, nil
}

// parseStanza returns the fields of one deb822 stanza, continuation lines
// joined.
func parseStanza(s string) map[string]string {
	fields := map[string]string{}
	last := ""
	for _, line := range strings.Split(s, "\n") {
		if strings.HasPrefix(line, " ") && last != "" {
			fields[last] += " " + strings.TrimSpace(line)
			continue
		}
		k, v, ok := strings.Cut(line, ":")
		if ok {
			last = k
			fields[k] = strings.TrimSpace(v)
		}
	}
	return fields
}

// providers lists the packages that provide a virtual name, for the error
// that asks for a virtuals entry.
func providers(name string) string {
	data, err := apt("showpkg", name)
	if err != nil {
		return "?"
	}
	_, rest, _ := strings.Cut(string(data), "Reverse Provides:")
	var out []string
	for _, line := range strings.Split(strings.TrimSpace(rest), "\n") {
		if f := strings.Fields(line); len(f) > 0 {
			name, _, _ := strings.Cut(f[0], ":")
			out = append(out, name)
		}
	}
	return strings.Join(slices.Compact(slices.Sorted(slices.Values(out))), " ")
}

func main() {
	outFile := flag.String("o", "internal/layers/layerstest/testdata/debian/catalog.json", "the catalog file to write")
	flag.Parse()
	if err := run(*outFile); err != nil {
		fmt.Fprintln(os.Stderr, "regen.go:", err)
		os.Exit(1)
	}
}

func run(outFile string) error {
	r := &resolver{known: map[string]*pkg{}, virtual: map[string]bool{}, missing: map[string]string{}}
	deps := map[string][]string{} // package or stand-in → what it refers to
	var queue []string
	want := func(n string) {
		if _, ok := deps[n]; !ok && !slices.Contains(queue, n) {
			queue = append(queue, n)
		}
	}
	for _, a := range slices.Sorted(maps.Keys(attrs)) {
		want(attrs[a])
	}
	for len(queue) > 0 {
		batch := queue
		queue = nil
		if err := r.lookUp(batch); err != nil {
			return err
		}
		var alts []string
		for _, n := range batch {
			if p := r.known[n]; p != nil {
				for _, clause := range p.depends {
					alts = append(alts, clause...)
				}
			}
		}
		if err := r.lookUp(alts); err != nil {
			return err
		}
		for _, n := range batch {
			if s, ok := standins[n]; ok {
				deps[n] = s.deps
				for _, d := range s.deps {
					want(d)
				}
				continue
			}
			p := r.known[n]
			if p == nil {
				return fmt.Errorf("package %s: apt knows no such package, and it is no stand-in", n)
			}
			var refs []string
			for _, clause := range p.depends {
				if d := r.choose(n, clause); d != "" && d != n {
					refs = append(refs, d)
					want(d)
				}
			}
			deps[n] = slices.Compact(slices.Sorted(slices.Values(refs)))
		}
	}
	if len(r.missing) > 0 {
		var lines []string
		for _, v := range slices.Sorted(maps.Keys(r.missing)) {
			lines = append(lines, fmt.Sprintf("%s (providers: %s)", v, providers(v)))
		}
		return fmt.Errorf("add these virtual packages to the virtuals table, each with one of its providers:\n  %s", strings.Join(lines, "\n  "))
	}
	for v := range virtuals {
		if !r.used[v] {
			return fmt.Errorf("the virtuals table names %s, which no package of the closure needs", v)
		}
	}
	infos, roots, err := closure(r.known, deps)
	if err != nil {
		return err
	}
	graph, err := nix.NewClosure(infos)
	if err != nil {
		return err
	}
	data, err := json.Marshal(layers.Catalog{Roots: roots, Graph: graph})
	if err != nil {
		return err
	}
	var buf bytes.Buffer
	if err := json.Indent(&buf, data, "", "  "); err != nil {
		return err
	}
	buf.WriteByte('\n')
	fmt.Fprintf(os.Stderr, "regen.go: %d attributes in %d paths, %d MiB\n", len(roots), graph.Len(), graph.Total()>>20)
	return os.WriteFile(outFile, buf.Bytes(), 0o644)
}

// resolver knows what apt said of the names looked up so far.
type resolver struct {
	known   map[string]*pkg
	virtual map[string]bool   // names with no candidate
	missing map[string]string // virtual names the virtuals table lacks → a package that needs one
	used    map[string]bool   // virtuals entries used
}

// lookUp asks apt about the names it has not asked about yet, in one go.
func (r *resolver) lookUp(names []string) error {
	var ask []string
	for _, n := range names {
		if _, ok := standins[n]; !ok && r.known[n] == nil && !r.virtual[n] && !slices.Contains(ask, n) {
			ask = append(ask, n)
		}
	}
	found, err := show(ask)
	if err != nil {
		return err
	}
	for _, n := range ask {
		if found[n] != nil {
			r.known[n] = found[n]
		} else {
			r.virtual[n] = true
		}
	}
	return nil
}

// choose returns the package that satisfies a clause of alternatives of
// package n: the first that is a stand-in or a real package, or else the
// virtuals table's provider of the first virtual one; "" when the first is
// only needed to install. The clause's names must have been looked up.
func (r *resolver) choose(n string, clause []string) string {
	if install[clause[0]] {
		return ""
	}
	for _, alt := range clause {
		if _, ok := standins[alt]; ok || r.known[alt] != nil {
			return alt
		}
	}
	for _, alt := range clause {
		if p, ok := virtuals[alt]; ok {
			if r.used == nil {
				r.used = map[string]bool{}
			}
			r.used[alt] = true
			return p
		}
	}
	r.missing[clause[0]] = n
	return ""
}

// closure returns the store paths of the packages and stand-ins, with the
// packages of a dependency cycle in one path, and the out path of every
// attribute.
func closure(pkgs map[string]*pkg, deps map[string][]string) ([]nix.PathInfo, map[string]string, error) {
	names := slices.Sorted(maps.Keys(deps))
	comp := components(names, deps)
	members := map[int][]string{}
	for _, n := range names {
		members[comp[n]] = append(members[comp[n]], n)
	}
	pathOf := map[int]string{}
	for c, ms := range members {
		var parts []string
		for _, m := range ms {
			v := "standin"
			if p := pkgs[m]; p != nil {
				v = p.version
				if _, after, epoch := strings.Cut(v, ":"); epoch {
					v = after
				}
			}
			parts = append(parts, m+"-"+v)
		}
		pathOf[c] = storePath(strings.Join(parts, "+"))
	}
	var infos []nix.PathInfo
	for _, c := range slices.Sorted(maps.Keys(members)) {
		info := nix.PathInfo{Path: pathOf[c], References: []string{}}
		h := sha256.New()
		for _, m := range members[c] {
			if p := pkgs[m]; p != nil {
				info.NarSize += p.kib << 10
				sum, err := hex.DecodeString(p.sha256)
				if err != nil || len(sum) != sha256.Size {
					return nil, nil, fmt.Errorf("package %s: SHA256 %q", m, p.sha256)
				}
				h.Write(sum)
			} else {
				info.NarSize += int64(standins[m].mib * (1 << 20))
				h.Write([]byte(info.Path))
			}
			for _, d := range deps[m] {
				if comp[d] != c {
					info.References = append(info.References, pathOf[comp[d]])
				}
			}
		}
		info.NarHash = "sha256-" + base64.StdEncoding.EncodeToString(h.Sum(nil))
		info.References = slices.Compact(slices.Sorted(slices.Values(info.References)))
		infos = append(infos, info)
	}
	roots := map[string]string{}
	for a, n := range attrs {
		roots[a] = pathOf[comp[n]]
	}
	return infos, roots, nil
}

// components numbers the strongly connected components of the dependency
// graph (Tarjan's algorithm): packages with the same number depend on one
// another.
func components(names []string, deps map[string][]string) map[string]int {
	index, low := map[string]int{}, map[string]int{}
	onStack := map[string]bool{}
	comp := map[string]int{}
	var stack []string
	next, ncomp := 0, 0
	var visit func(n string)
	visit = func(n string) {
		index[n], low[n] = next, next
		next++
		stack = append(stack, n)
		onStack[n] = true
		for _, d := range deps[n] {
			if _, seen := index[d]; !seen {
				visit(d)
				low[n] = min(low[n], low[d])
			} else if onStack[d] {
				low[n] = min(low[n], index[d])
			}
		}
		if low[n] == index[n] {
			for {
				m := stack[len(stack)-1]
				stack = stack[:len(stack)-1]
				onStack[m] = false
				comp[m] = ncomp
				if m == n {
					break
				}
			}
			ncomp++
		}
	}
	for _, n := range names {
		if _, seen := index[n]; !seen {
			visit(n)
		}
	}
	return comp
}

// storePath returns a store path for name, with a hash part derived from
// it; a '~', which a store path cannot hold, becomes '_'.
func storePath(name string) string {
	name = strings.ReplaceAll(name, "~", "_")
	const alphabet = "0123456789abcdfghijklmnpqrsvwxyz" // Nix's base32
	sum := sha256.Sum256([]byte(name))
	hash := make([]byte, 32)
	for i := range hash {
		hash[i] = alphabet[sum[i]%32]
	}
	return "/nix/store/" + string(hash) + "-" + name
}
