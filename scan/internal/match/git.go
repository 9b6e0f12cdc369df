package match

import (
	"cmp"
	"context"
	"slices"

	osvpb "github.com/ossf/osv-schema/bindings/go/osvschema"

	"github.com/nixlayer/nixlayer/internal/sbom"
	"github.com/nixlayer/nixlayer/internal/scanner"
	"github.com/nixlayer/nixlayer/scan/internal/osvdb"
)

// What of a Nix package matched a GIT record (Finding.By).
const (
	// ByTag is the source's tag, listed as written among the record's
	// versions.
	ByTag = "tag"
	// ByVersion is a listed version that names the same release as the
	// source's tag or the package's version (see release).
	ByVersion = "version"
	// ByCommit is the source's commit, which osv.dev's API found in the
	// record's GIT ranges (--online).
	ByCommit = "commit"
)

// gitIndex holds the offline database's GIT records that name the
// scan's repositories, by normalised repository.
type gitIndex map[string][]*osvpb.Vulnerability

// loadGit reads the GIT records of the database in db that name one of
// repos (normalised) and are not withdrawn.
func loadGit(db string, repos map[string]bool) (gitIndex, []string, error) {
	if len(repos) == 0 {
		return gitIndex{}, nil, nil
	}
	recs, warnings, err := osvdb.Records(db, "GIT", func(repo string) bool { return repos[normalizeRepo(repo)] })
	if err != nil {
		return nil, nil, err
	}
	idx := gitIndex{}
	for _, v := range recs {
		if v.GetWithdrawn() != nil {
			// Withdrawn records never match, as osv-scanner's offline
			// matcher has it (osv-scalibr osvlocal/zip.go:266).
			continue
		}
		seen := map[string]bool{}
		for _, a := range v.GetAffected() {
			for _, r := range gitRanges(a) {
				if n := normalizeRepo(r.GetRepo()); repos[n] && !seen[n] {
					seen[n] = true
					idx[n] = append(idx[n], v)
				}
			}
		}
	}
	return idx, warnings, nil
}

// gitRanges are an affected entry's GIT ranges.
func gitRanges(a *osvpb.Affected) []*osvpb.Range {
	var out []*osvpb.Range
	for _, r := range a.GetRanges() {
		if r.GetType() == osvpb.Range_GIT {
			out = append(out, r)
		}
	}
	return out
}

// gitMatch is how a record matched a package.
type gitMatch struct {
	// by is ByTag or ByVersion, listed the record's version that matched.
	by, listed string
	// entries are the record's affected entries that list it.
	entries []*osvpb.Affected
}

// matchGit matches record v with package c whose key is k: an affected
// entry with a GIT range of k's repository whose versions list k's tag
// (ByTag), or else a version naming the same release as k's tag or c's
// version (ByVersion). Any GIT range of the entry may name the
// repository, as osv-scanner's offline matcher reads a record (osv-scalibr
// enricher/vulnmatch/osvlocal/internal/vulns/vulnerability.go:127-145);
// osv.dev's API keys an entry's versions by its first GIT range only
// (affected_versions.go:62-71, a known shortcut), which agrees whenever an
// entry names one repository, as every record seen does.
func matchGit(v *osvpb.Vulnerability, c sbom.Component, k Key) (gitMatch, bool) {
	var tag, ver gitMatch
	for _, a := range v.GetAffected() {
		i := slices.IndexFunc(gitRanges(a), func(r *osvpb.Range) bool { return sameRepo(r.GetRepo(), k.Repository) })
		if i < 0 {
			continue
		}
		repo := gitRanges(a)[i].GetRepo()
		if k.Tag != "" && slices.Contains(a.GetVersions(), k.Tag) {
			tag = addEntry(tag, ByTag, k.Tag, a)
			continue
		}
		j := slices.IndexFunc(a.GetVersions(), func(listed string) bool {
			return k.Tag != "" && sameRelease(listed, repo, k.Tag) || c.Version != "" && sameRelease(listed, repo, c.Version)
		})
		if j >= 0 {
			ver = addEntry(ver, ByVersion, a.GetVersions()[j], a)
		}
	}
	switch {
	case tag.by != "":
		return tag, true
	case ver.by != "":
		return ver, true
	}
	return gitMatch{}, false
}

func addEntry(m gitMatch, by, listed string, a *osvpb.Affected) gitMatch {
	if m.by == "" {
		m.by, m.listed = by, listed
	}
	if !slices.Contains(m.entries, a) {
		m.entries = append(m.entries, a)
	}
	return m
}

// nixHits matches the SBOM's Nix packages, whose keys are in cov: offline
// against the GIT records of the database in db; with online, the
// commit-only ones by asking osv.dev's API at api.
func nixHits(ctx context.Context, doc *sbom.Document, cov Coverage, opts Options) ([]hit, []string, error) {
	repos := map[string]bool{}
	for _, p := range cov.Packages {
		if p.Kind != "" && p.Kind != KeyCommit {
			repos[normalizeRepo(p.Repository)] = true
		}
	}
	idx, warnings, err := loadGit(opts.DB, repos)
	if err != nil {
		return nil, nil, err
	}
	byCommit := map[string][]*osvpb.Vulnerability{}
	var hits []hit
	for i, c := range doc.Components {
		k := cov.Packages[i].Key
		p := scanner.Package{Name: c.Name, Version: c.Version, Ecosystem: "GIT", StorePath: c.Path,
			Repository: k.Repository, Tag: k.Tag, Commit: k.Commit, Key: k.Kind, Rule: k.Rule}
		switch k.Kind {
		case "":
		case KeyCommit:
			recs, ok := byCommit[k.Commit]
			if !ok {
				if recs, err = queryCommit(ctx, opts.Client, cmp.Or(opts.API, DefaultAPI), k.Commit); err != nil {
					return nil, nil, err
				}
				byCommit[k.Commit] = recs
			}
			for _, v := range recs {
				if v.GetWithdrawn() == nil {
					hits = append(hits, hit{vuln: v, pkg: p, match: ByGit, by: ByCommit, low: builtConfidence(c, k)})
				}
			}
		default:
			for _, v := range idx[normalizeRepo(k.Repository)] {
				m, ok := matchGit(v, c, k)
				if !ok {
					continue
				}
				hits = append(hits, hit{vuln: v, pkg: p, match: ByGit, by: m.by, listed: m.listed,
					low: cmp.Or(gitConfidence(m, p), builtConfidence(c, k))})
			}
		}
	}
	return hits, warnings, nil
}
