package flake

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/nixlayer/nixlayer/internal/nix"
	"github.com/nixlayer/nixlayer/internal/sets"
	"github.com/nixlayer/nixlayer/internal/usererr"
)

// Plan is what evaluation tells about each requested attribute.
type Plan struct {
	// System is the Nix system the plan is for.
	System string `json:"system"`
	// Packages are in the order of the request.
	Packages []Package `json:"packages"`
	// Missing, NotPackages and Failing are, in a lenient plan (see
	// Request.Lenient), the requested attributes that nixpkgs lacks, that
	// are not packages, and whose out path cannot be evaluated, in request
	// order. Packages holds the others. A plan that is not lenient has none.
	Missing     []string `json:"missing,omitempty"`
	NotPackages []string `json:"notPackages,omitempty"`
	Failing     []string `json:"failing,omitempty"`
}

// Package is one planned attribute.
type Package struct {
	Attr    string `json:"attr"`
	Origin  string `json:"origin"`
	Name    string `json:"name"`
	OutPath string `json:"outPath"`
	// DrvPath is the store derivation this evaluation made for the
	// package, whose graph its closure's facts come from.
	DrvPath  string   `json:"drvPath"`
	Pname    string   `json:"pname,omitempty"`
	Version  string   `json:"version,omitempty"`
	Src      *Source  `json:"src,omitempty"`
	Patches  []Patch  `json:"patches"`
	Licenses []string `json:"licenses,omitempty"`
	// Identifiers is nixpkgs' meta.identifiers (CPE parts and the like), as
	// Nix gave it, or null.
	Identifiers json.RawMessage `json:"identifiers,omitempty"`
}

// Source is where a package's source comes from: a URL, or a repository
// and revision (fetchFromGitHub and the like).
type Source struct {
	URL   string `json:"url,omitempty"`
	Owner string `json:"owner,omitempty"`
	Repo  string `json:"repo,omitempty"`
	Rev   string `json:"rev,omitempty"`
	Tag   string `json:"tag,omitempty"`
	// GitRepoURL is the forge fetchers' passthru.gitRepoUrl, such as
	// https://gitlab.gnome.org/GNOME/libxml2.git.
	GitRepoURL string `json:"gitRepoUrl,omitempty"`
}

// Patch is one entry of a package's patches: a file name, and the URL it
// was fetched from when it was fetched.
type Patch struct {
	Name string `json:"name"`
	URL  string `json:"url,omitempty"`
}

// rawPlan is plan.nix's output.
type rawPlan struct {
	Missing     []string `json:"missing"`
	NotPackages []string `json:"notPackages"`
	Failing     []string `json:"failing"`
	Packages    []struct {
		Package
		Out string `json:"out"`
		Src *struct {
			URL, Owner, Repo, Rev, Tag, GitRepoURL *string
		} `json:"src"`
		Patches  []struct{ Name, URL *string } `json:"patches"`
		Licenses []*string                     `json:"licenses"`
	} `json:"packages"`
}

// EvalError is a Nix evaluation that failed: a syntax error in an overlay,
// an attribute that throws, a package marked broken or insecure.
type EvalError struct{ Err error }

func (e *EvalError) Error() string { return "evaluating the plan: " + e.Err.Error() }
func (e *EvalError) Unwrap() error { return e.Err }

// AttrError is a requested attribute that nixpkgs does not have, or that is
// not a package. It wraps usererr.ErrBadInput.
type AttrError struct {
	Missing     []string
	NotPackages []string
	req         *Request
}

func (e *AttrError) Error() string {
	var parts []string
	if len(e.Missing) > 0 {
		parts = append(parts, "nixpkgs has no attribute "+e.list(e.Missing))
	}
	if len(e.NotPackages) > 0 {
		parts = append(parts, "not a package: "+e.list(e.NotPackages))
	}
	return strings.Join(parts, "; ")
}

func (e *AttrError) Unwrap() error { return usererr.ErrBadInput }

func (e *AttrError) list(attrs []string) string {
	out := make([]string, len(attrs))
	for i, a := range attrs {
		out[i] = fmt.Sprintf("%q (from %s)", a, e.req.origin(a))
	}
	return strings.Join(out, ", ")
}

// origin says where an attribute came from, for error messages.
func (r *Request) origin(attr string) string {
	for _, a := range r.Attrs {
		if a.Path != attr {
			continue
		}
		if slices.Contains(r.Sets, a.Origin) {
			return fmt.Sprintf("set %q", a.Origin)
		}
		return a.Origin
	}
	return "the request"
}

// FlakeArgs are the flags nixlayer gives every evaluation and build of a
// work directory: the copy is thrown away, so its lock file is never written.
var FlakeArgs = []string{"--no-write-lock-file"}

// PlanInstallable is the installable that evaluates to the plan of the work
// directory at ref (such as "path:/tmp/work").
func PlanInstallable(ref, system string) string {
	return ref + "#nixlayer." + system
}

// BuildInstallables are the installables that build every planned package.
func BuildInstallables(ref string, plan *Plan) []string {
	out := make([]string, len(plan.Packages))
	for i, p := range plan.Packages {
		out[i] = ref + "#legacyPackages." + plan.System + "." + p.Attr
	}
	return out
}

// Plan evaluates the request: one Package per attribute, or an *AttrError
// naming every attribute that nixpkgs lacks, or an *EvalError. A lenient
// request (see Request.Lenient) gives a Package per attribute that
// evaluates, and lists the others.
func (w *Work) Plan(ctx context.Context, d *nix.Driver) (*Plan, error) {
	data, err := d.Run(ctx, d.EvalArgs(PlanInstallable(w.Ref(), w.req.System), FlakeArgs...)...)
	if err != nil {
		if ce, ok := errors.AsType[*nix.CommandError](err); ok {
			if host, reason, ok := ce.Unreachable(); ok {
				return nil, &nix.UnreachableError{Doing: "evaluating the plan", Host: host, Reason: reason, Err: ce}
			}
			return nil, &EvalError{Err: err}
		}
		return nil, fmt.Errorf("evaluating the plan: %w", err)
	}
	return DecodePlan(data, w.req)
}

// DecodePlan decodes the output of "nix eval --json" of PlanInstallable for
// req.
func DecodePlan(data []byte, req Request) (*Plan, error) {
	var raw rawPlan
	if err := json.Unmarshal(data, &raw); err != nil {
		return nil, fmt.Errorf("decoding the plan: %w", err)
	}
	plan := &Plan{System: req.System}
	attrs := req.Attrs
	switch {
	case req.Lenient:
		plan.Missing, plan.NotPackages, plan.Failing = raw.Missing, raw.NotPackages, raw.Failing
		left := slices.Concat(raw.Missing, raw.NotPackages, raw.Failing)
		attrs = slices.DeleteFunc(slices.Clone(attrs), func(a sets.Attr) bool { return slices.Contains(left, a.Path) })
	case len(raw.Missing) > 0 || len(raw.NotPackages) > 0:
		return nil, &AttrError{Missing: raw.Missing, NotPackages: raw.NotPackages, req: &req}
	}
	if len(raw.Packages) != len(attrs) {
		return nil, fmt.Errorf("decoding the plan: %d packages for %d attributes", len(raw.Packages), len(attrs))
	}
	plan.Packages = make([]Package, len(raw.Packages))
	for i, rp := range raw.Packages {
		p := rp.Package
		if p.Attr != attrs[i].Path {
			return nil, fmt.Errorf("decoding the plan: package %d is %q, want %q", i, p.Attr, attrs[i].Path)
		}
		p.Origin = attrs[i].Origin
		p.OutPath = rp.Out
		if rp.Src != nil {
			s := Source{URL: deref(rp.Src.URL), Owner: deref(rp.Src.Owner), Repo: deref(rp.Src.Repo), Rev: deref(rp.Src.Rev), Tag: deref(rp.Src.Tag), GitRepoURL: deref(rp.Src.GitRepoURL)}
			if s != (Source{}) {
				p.Src = &s
			}
		}
		p.Patches = []Patch{}
		for _, pt := range rp.Patches {
			p.Patches = append(p.Patches, Patch{Name: deref(pt.Name), URL: deref(pt.URL)})
		}
		p.Licenses = nil
		for _, l := range rp.Licenses {
			if l != nil {
				p.Licenses = append(p.Licenses, *l)
			}
		}
		if string(p.Identifiers) == "null" {
			p.Identifiers = nil
		}
		plan.Packages[i] = p
	}
	return plan, nil
}

// Build builds every planned package and returns their out paths, sorted.
// Nix's progress goes to the driver's Progress writer. When every out path
// is already valid in the store, Build only asks Nix so (nix path-info):
// nix build evaluates each installable again even when all are built,
// which costs 5 s for the 53 of the built-in sets' catalog on Nix 2.8.
func (w *Work) Build(ctx context.Context, d *nix.Driver, plan *Plan) ([]string, error) {
	if roots := plan.Roots(); len(roots) > 0 {
		// Quiet: a path that is not built yet is what nix build is for.
		quiet := *d
		quiet.Progress = nil
		if _, err := quiet.PathInfo(ctx, roots...); err == nil {
			return roots, nil
		}
	}
	results, err := d.Build(ctx, BuildInstallables(w.Ref(), plan), FlakeArgs...)
	if err != nil {
		return nil, fmt.Errorf("building %d packages: %w", len(plan.Packages), err)
	}
	return BuiltRoots(plan, results)
}

// ShellInstallable is the installable of the dev shell name of the work
// directory at ref, for nix develop and nix print-dev-env.
func ShellInstallable(ref, system, name string) string {
	return ref + "#devShells." + system + "." + name
}

// RegistrationInstallable is the installable that builds the Nix database
// registering the closure of the request's attributes (registration.nix):
// a directory holding db.sqlite and schema.
func RegistrationInstallable(ref, system string) string {
	return ref + "#nixlayerDb." + system
}

// Registration builds the Nix database of the request's closure and
// returns the store path of the directory that holds it.
func (w *Work) Registration(ctx context.Context, d *nix.Driver) (string, error) {
	results, err := d.Build(ctx, []string{RegistrationInstallable(w.Ref(), w.req.System)}, FlakeArgs...)
	if err != nil {
		return "", fmt.Errorf("building the Nix database: %w", err)
	}
	if len(results) != 1 || len(results[0].Paths()) != 1 {
		return "", fmt.Errorf("building the Nix database: nix returned %d results", len(results))
	}
	return results[0].Paths()[0], nil
}

// BuiltRoots checks that a build made every planned out path, and returns
// them sorted and without repeats: the roots of the closure.
func BuiltRoots(plan *Plan, results []nix.BuildResult) ([]string, error) {
	built := map[string]bool{}
	for _, r := range results {
		for _, p := range r.Paths() {
			built[p] = true
		}
	}
	for _, p := range plan.Packages {
		if !built[p.OutPath] {
			return nil, fmt.Errorf("building %s: nix did not build %s", p.Attr, p.OutPath)
		}
	}
	return plan.Roots(), nil
}

// Derivations returns the planned packages' store derivations, sorted and
// without repeats: the roots of the derivation graph that the closure's
// facts come from ([nix.Driver.Derivations]). Out paths would not do: Nix
// looks up their deriver in the store, which may be another system's
// derivation of a fixed-output path, or any other derivation with the
// same output that the store happens to hold.
func (p *Plan) Derivations() []string {
	var drvs []string
	for _, pkg := range p.Packages {
		drvs = append(drvs, pkg.DrvPath)
	}
	slices.Sort(drvs)
	return slices.Compact(drvs)
}

// Roots returns the planned out paths, sorted and without repeats: the
// roots of the closure.
func (p *Plan) Roots() []string {
	var roots []string
	for _, pkg := range p.Packages {
		roots = append(roots, pkg.OutPath)
	}
	slices.Sort(roots)
	return slices.Compact(roots)
}

func deref(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}
