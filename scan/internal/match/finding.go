package match

import (
	"cmp"
	"encoding/json"
	"slices"
	"strings"

	osvpb "github.com/ossf/osv-schema/bindings/go/osvschema"
	"google.golang.org/protobuf/encoding/protojson"

	"github.com/nixlayer/nixlayer/internal/scanner"
	"github.com/nixlayer/nixlayer/scan/internal/policy"
)

// How a finding was matched (scanner.Finding's Match).
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

// newFinding makes the finding of record v for package p.
func newFinding(v *osvpb.Vulnerability, p scanner.Package, match string) scanner.Finding {
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
	return scanner.Finding{ID: v.GetId(), Aliases: aliases, Summary: v.GetSummary(),
		Severity: policy.SeverityOf(v), Package: p, Match: match, Record: rec}
}

// sortFindings orders findings: counted ones first, then by severity
// (highest first), ID and store path.
func sortFindings(fs []scanner.Finding) {
	slices.SortFunc(fs, func(a, b scanner.Finding) int {
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
