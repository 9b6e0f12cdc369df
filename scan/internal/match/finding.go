package match

import (
	"cmp"
	"encoding/json"
	"slices"
	"strings"

	osvpb "github.com/ossf/osv-schema/bindings/go/osvschema"
	"google.golang.org/protobuf/encoding/protojson"

	"github.com/nixlayer/nixlayer/scan/internal/policy"
)

// How a finding was matched.
const (
	// ByGit is a Nix package matched by OSV's GIT records, by its source
	// repository and tag, its version, or (online) its commit; the
	// finding's By says which.
	ByGit = "git"
	// ByImage is a language package that osv-scanner's image scanning
	// found inside a store path (Python dist-info, node_modules, Go build
	// info, cargo-auditable data).
	ByImage = "image"
)

// Finding is one vulnerability of one package.
type Finding struct {
	ID       string          `json:"id"`
	Aliases  []string        `json:"aliases,omitempty"`
	Summary  string          `json:"summary,omitempty"`
	Severity policy.Severity `json:"severity"`
	Package  Package         `json:"package"`
	// Match is ByGit or ByImage.
	Match string `json:"match"`
	// By is what of a Nix package matched (ByGit): ByTag, ByVersion or
	// ByCommit; Listed is the record's version that matched (ByTag,
	// ByVersion).
	By     string `json:"by,omitempty"`
	Listed string `json:"listed,omitempty"`
	// LowConfidence, when set, says why the match may be wrong; such a
	// finding is reported but does not count towards the threshold.
	LowConfidence string `json:"lowConfidence,omitempty"`
	// Suppressed, when set, says why the finding does not apply, such as
	// "patched by CVE-2024-5535.patch".
	Suppressed string `json:"suppressed,omitempty"`
	// Record is the OSV record, as JSON.
	Record json.RawMessage `json:"record"`
}

// Package is the package a finding is about.
type Package struct {
	Name      string `json:"name"`
	Version   string `json:"version,omitempty"`
	Ecosystem string `json:"ecosystem"`
	// StorePath is the store path the package is in.
	StorePath string `json:"storePath,omitempty"`
	// Repository, Tag and Commit are the source a GIT match used, Key
	// what gave them (KeyTag, KeyRule, KeyPURL, KeyVersion, KeyCommit),
	// and Rule the URL rule for KeyRule.
	Repository string `json:"repository,omitempty"`
	Tag        string `json:"tag,omitempty"`
	Commit     string `json:"commit,omitempty"`
	Key        string `json:"key,omitempty"`
	Rule       string `json:"rule,omitempty"`
	// Location is the file an image match was read from.
	Location string `json:"location,omitempty"`
}

// Counts reports whether the finding counts towards the threshold: it is
// neither suppressed nor low-confidence.
func (f Finding) Counts() bool { return f.Suppressed == "" && f.LowConfidence == "" }

// IDs are the finding's ID and aliases.
func (f Finding) IDs() []string { return append([]string{f.ID}, f.Aliases...) }

// newFinding makes the finding of record v for package p.
func newFinding(v *osvpb.Vulnerability, p Package, match string) Finding {
	rec, err := protojson.Marshal(v)
	if err != nil {
		rec = []byte("null")
	}
	// protojson's spacing is deliberately unstable; compact it.
	var compact json.RawMessage
	if json.Unmarshal(rec, &compact) == nil {
		if b, err := json.Marshal(compact); err == nil {
			rec = b
		}
	}
	aliases := slices.Clone(v.GetAliases())
	slices.Sort(aliases)
	return Finding{ID: v.GetId(), Aliases: aliases, Summary: v.GetSummary(),
		Severity: policy.SeverityOf(v), Package: p, Match: match, Record: rec}
}

// sortFindings orders findings: counted ones first, then by severity
// (highest first), ID and store path.
func sortFindings(fs []Finding) {
	slices.SortFunc(fs, func(a, b Finding) int {
		return cmp.Or(
			boolOrder(a.Counts(), b.Counts()),
			cmp.Compare(b.Severity.Level, a.Severity.Level),
			strings.Compare(a.ID, b.ID),
			strings.Compare(a.Package.StorePath, b.Package.StorePath),
			strings.Compare(a.Package.Name, b.Package.Name),
			strings.Compare(a.Package.Location, b.Package.Location),
		)
	})
}

func boolOrder(a, b bool) int {
	switch {
	case a == b:
		return 0
	case a:
		return -1
	}
	return 1
}
