package osvdb

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// TestRecords reads a GIT database: only the records whose GIT ranges
// name a wanted repository are kept, a record that is not OSV JSON is
// left out with a warning, and a missing database has no records.
func TestRecords(t *testing.T) {
	dir := t.TempDir()
	put(t, ZipPath(dir, "GIT"), zipOf(t,
		`{"id": "A", "modified": "2026-01-01T00:00:00Z", "affected": [{"package": {"ecosystem": "OSS-Fuzz", "name": "curl"},
		  "ranges": [{"type": "GIT", "repo": "https://github.com/curl/curl.git", "events": [{"introduced": "0"}]}], "versions": ["curl-8_15_0"],
		  "ecosystem_specific": {"severity": "HIGH"}}], "future_field": 1}`,
		`{"id": "B", "modified": "2026-01-01T00:00:00Z", "affected": [{"ranges": [{"type": "GIT", "repo": "https://github.com/jqlang/jq", "events": [{"introduced": "0"}]}]}]}`,
		`{"id": "C", "affected": [{"ranges": [{"type": "GIT", "repo": "https://github.com/curl/curl", "events": 7}]}]}`,
	))
	recs, warnings, err := Records(dir, "GIT", func(repo string) bool { return strings.Contains(repo, "curl") })
	if err != nil {
		t.Fatal(err)
	}
	var ids []string
	for _, r := range recs {
		ids = append(ids, r.GetId()+" "+r.GetAffected()[0].GetVersions()[0])
	}
	if diff := cmp.Diff([]string{"A curl-8_15_0"}, ids); diff != "" {
		t.Errorf("records (-want +got):\n%s", diff)
	}
	if len(warnings) != 1 || !strings.Contains(warnings[0], "c.json is not an OSV record") {
		t.Errorf("warnings %q, want one naming c.json", warnings)
	}
	if recs, warnings, err := Records(dir, "PyPI", nil); recs != nil || warnings != nil || err != nil {
		t.Errorf("a missing database: %v, %v, %v", recs, warnings, err)
	}
}
