package policy

import (
	"errors"
	"strings"
	"testing"
	"time"

	osvpb "github.com/ossf/osv-schema/bindings/go/osvschema"
	"google.golang.org/protobuf/encoding/protojson"

	"github.com/nixlayer/nixlayer/internal/scanner"
	"github.com/nixlayer/nixlayer/internal/usererr"
)

func record(t *testing.T, js string) *osvpb.Vulnerability {
	t.Helper()
	v := &osvpb.Vulnerability{}
	if err := protojson.Unmarshal([]byte(js), v); err != nil {
		t.Fatal(err)
	}
	return v
}

func TestSeverityOf(t *testing.T) {
	tests := []struct {
		name, rec string
		want      scanner.Severity
	}{
		{"CVSS 3.1", `{"id": "A", "severity": [{"type": "CVSS_V3", "score": "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H"}]}`,
			scanner.Severity{Level: scanner.Critical, Score: 9.8, Vector: "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H", From: "cvss"}},
		{"CVSS 3.0", `{"id": "A", "severity": [{"type": "CVSS_V3", "score": "CVSS:3.0/AV:L/AC:L/PR:L/UI:N/S:U/C:N/I:L/A:N"}]}`,
			scanner.Severity{Level: scanner.Low, Score: 3.3, Vector: "CVSS:3.0/AV:L/AC:L/PR:L/UI:N/S:U/C:N/I:L/A:N", From: "cvss"}},
		{"CVSS 2", `{"id": "A", "severity": [{"type": "CVSS_V2", "score": "AV:N/AC:L/Au:N/C:P/I:P/A:P"}]}`,
			scanner.Severity{Level: scanner.High, Score: 7.5, Vector: "AV:N/AC:L/Au:N/C:P/I:P/A:P", From: "cvss"}},
		{"CVSS 4", `{"id": "A", "severity": [{"type": "CVSS_V4", "score": "CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N"}]}`,
			scanner.Severity{Level: scanner.Critical, Score: 9.3, Vector: "CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N", From: "cvss"}},
		{"highest of several, affected entry too", `{"id": "A", "severity": [{"type": "CVSS_V3", "score": "CVSS:3.1/AV:L/AC:L/PR:L/UI:N/S:U/C:N/I:L/A:N"}],
			"affected": [{"severity": [{"type": "CVSS_V3", "score": "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:N/I:N/A:H"}]}]}`,
			scanner.Severity{Level: scanner.High, Score: 7.5, Vector: "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:N/I:N/A:H", From: "cvss"}},
		{"database severity", `{"id": "A", "database_specific": {"severity": "MODERATE"}}`, scanner.Severity{Level: scanner.Medium, From: "database"}},
		{"bad vector falls back", `{"id": "A", "severity": [{"type": "CVSS_V3", "score": "CVSS:3.1/garbage"}], "database_specific": {"severity": "LOW"}}`, scanner.Severity{Level: scanner.Low, From: "database"}},
		// OSS-Fuzz rates its records in ecosystem_specific (null when it
		// has not), as its record of jq shows.
		{"OSS-Fuzz's severity", `{"id": "OSV-2024-859", "affected": [{"ecosystem_specific": {"severity": null}}, {"ecosystem_specific": {"severity": "HIGH"}}]}`,
			scanner.Severity{Level: scanner.High, From: "database"}},
		{"OSS-Fuzz unrated", `{"id": "OSV-2025-90", "affected": [{"ecosystem_specific": {"severity": null}}]}`, scanner.Severity{}},
		{"nothing", `{"id": "A"}`, scanner.Severity{}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := SeverityOf(record(t, tt.rec)); got != tt.want {
				t.Errorf("SeverityOf = %+v, want %+v", got, tt.want)
			}
		})
	}
}

func TestIgnores(t *testing.T) {
	ig, err := ParseIgnores("osv-scanner.toml", []byte(`
GoVersionOverride = "1.22.4"

[[IgnoredVulns]]
id = "CVE-2024-1"
reason = "forever"

[[IgnoredVulns]]
id = "GHSA-xxxx"
ignoreUntil = 2026-01-01
reason = "expired"

[[IgnoredVulns]]
id = "GHSA-yyyy"
ignoreUntil = 2026-12-31T12:00:00Z
`))
	if err != nil {
		t.Fatal(err)
	}
	now := time.Date(2026, 6, 1, 0, 0, 0, 0, time.UTC)
	if a, exp := ig.Match([]string{"OSV-1", "cve-2024-1"}, now); a == nil || a.Reason != "forever" || len(exp) != 0 {
		t.Errorf("an alias, in another case, did not match the entry: %v %v", a, exp)
	}
	if a, exp := ig.Match([]string{"GHSA-xxxx"}, now); a != nil || len(exp) != 1 || exp[0].Reason != "expired" {
		t.Errorf("an expired entry: %v %v", a, exp)
	}
	if a, _ := ig.Match([]string{"GHSA-yyyy"}, now); a == nil {
		t.Error("an entry until a datetime did not match before it")
	}
	if a, exp := ig.Match([]string{"OTHER"}, now); a != nil || exp != nil {
		t.Errorf("an unrelated ID matched: %v %v", a, exp)
	}
	var none *Ignores
	if a, exp := none.Match([]string{"X"}, now); a != nil || exp != nil {
		t.Error("nil Ignores matched")
	}
	for _, bad := range []string{"[[IgnoredVulns]\n", "[[IgnoredVulns]]\nid = 3\n", "[[IgnoredVulns]]\nid = \"X\"\nignoreUntil = \"tomorrow\"\n", "Unknown = 1\n"} {
		if _, err := ParseIgnores("f.toml", []byte(bad)); err == nil || !errors.Is(err, usererr.ErrBadInput) || strings.Contains(err.Error(), "\n") {
			t.Errorf("ParseIgnores(%q): %v, want one line of bad input", bad, err)
		}
	}
}
