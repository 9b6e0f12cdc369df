package scanner

import "encoding/json"

// Report is nixlayer-scan's JSON output (--format json), as nixlayer-scan
// writes it and its callers read it. nixlayer-scan adds the coverage of
// the SBOM's Nix packages and its warnings after these fields.
type Report struct {
	// Image is the scanned image, as the user named it (--name).
	Image string `json:"image"`
	// Threshold is --fail-on.
	Threshold Level `json:"threshold"`
	// Failed says whether a counted finding is at or above Threshold,
	// which fails the scan (unless --exit-zero).
	Failed bool `json:"failed"`
	// Components is the number of components in the SBOM.
	Components int `json:"components"`
	// Findings are every finding, counted or not.
	Findings []Finding `json:"findings"`
}

// Counted are the findings that count towards the threshold.
func (r *Report) Counted() []Finding {
	var out []Finding
	for _, f := range r.Findings {
		if f.Counts() {
			out = append(out, f)
		}
	}
	return out
}

// Finding is one vulnerability of one package.
type Finding struct {
	ID       string   `json:"id"`
	Aliases  []string `json:"aliases,omitempty"`
	Summary  string   `json:"summary,omitempty"`
	Severity Severity `json:"severity"`
	Package  Package  `json:"package"`
	// Match is how the package was matched: "git" for a Nix package,
	// by OSV's GIT records, or "image" for a language package that
	// osv-scanner's image scanning found inside a store path.
	Match string `json:"match"`
	// By is what of a Nix package matched: "tag", "version" or "commit";
	// Listed is the record's version that matched (by tag or version).
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

// Counts reports whether the finding counts towards the threshold: it is
// neither suppressed nor of low confidence.
func (f Finding) Counts() bool { return f.Suppressed == "" && f.LowConfidence == "" }

// Fails reports whether the finding fails a scan whose threshold is t:
// it counts, and its level is at or above t.
func (f Finding) Fails(t Level) bool { return f.Counts() && f.Severity.Level.Fails(t) }

// IDs are the finding's ID and aliases.
func (f Finding) IDs() []string { return append([]string{f.ID}, f.Aliases...) }

// Severity is how bad a vulnerability is.
type Severity struct {
	Level Level `json:"level"`
	// Score is the CVSS base score, when the rating comes from a vector.
	Score float64 `json:"score,omitempty"`
	// Vector is the CVSS vector the score was computed from.
	Vector string `json:"vector,omitempty"`
	// From says where the rating came from: "cvss", "database" or "".
	From string `json:"from,omitempty"`
}

// Package is the package a finding is about.
type Package struct {
	Name      string `json:"name"`
	Version   string `json:"version,omitempty"`
	Ecosystem string `json:"ecosystem"`
	// StorePath is the store path the package is in.
	StorePath string `json:"storePath,omitempty"`
	// Repository, Tag and Commit are the source a GIT match used, Key
	// what gave them ("tag", "rule", "purl", "version" or "commit"), and
	// Rule the URL rule for the key "rule".
	Repository string `json:"repository,omitempty"`
	Tag        string `json:"tag,omitempty"`
	Commit     string `json:"commit,omitempty"`
	Key        string `json:"key,omitempty"`
	Rule       string `json:"rule,omitempty"`
	// Location is the file an image match was read from.
	Location string `json:"location,omitempty"`
}
