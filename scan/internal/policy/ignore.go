package policy

import (
	"os"
	"slices"
	"strings"
	"time"

	"github.com/nixlayer/nixlayer/internal/usererr"

	"github.com/BurntSushi/toml"
)

// Ignore is one [[IgnoredVulns]] entry of an osv-scanner.toml file.
type Ignore struct {
	ID string `toml:"id"`
	// Until is when the entry stops ignoring; zero means never.
	Until  time.Time `toml:"ignoreUntil"`
	Reason string    `toml:"reason"`
}

// Ignores are the entries of an ignore file.
type Ignores struct {
	// File is the file they came from.
	File    string
	Entries []Ignore
}

// ignoreFile is osv-scanner.toml as far as nixlayer reads it: osv-scanner's
// other settings are accepted and left alone.
type ignoreFile struct {
	IgnoredVulns []Ignore `toml:"IgnoredVulns"`
}

// osvScannerKeys are osv-scanner.toml's other top-level settings.
var osvScannerKeys = []string{"PackageOverrides", "GoVersionOverride", "LoadPath"}

// LoadIgnores reads an ignore file in osv-scanner.toml's format. A file
// that is not valid TOML, an entry without an id, or a key osv-scanner
// does not know is bad input.
func LoadIgnores(file string) (*Ignores, error) {
	data, err := os.ReadFile(file)
	if err != nil {
		return nil, usererr.Errorf("reading the ignore file: %w", err)
	}
	return ParseIgnores(file, data)
}

// ParseIgnores reads the content of an ignore file named file.
func ParseIgnores(file string, data []byte) (*Ignores, error) {
	var f ignoreFile
	md, err := toml.Decode(string(data), &f)
	if err != nil {
		return nil, usererr.Errorf("ignore file %s: %s", file, oneLine(err.Error()))
	}
	for _, k := range md.Undecoded() {
		if top := k[0]; !slices.Contains(osvScannerKeys, top) {
			return nil, usererr.Errorf("ignore file %s: unknown key %q", file, k.String())
		}
	}
	for i, e := range f.IgnoredVulns {
		if strings.TrimSpace(e.ID) == "" {
			return nil, usererr.Errorf("ignore file %s: entry %d of IgnoredVulns has no id", file, i+1)
		}
	}
	return &Ignores{File: file, Entries: f.IgnoredVulns}, nil
}

func oneLine(s string) string {
	return strings.Join(strings.Fields(s), " ")
}

// Match returns the entry that ignores a vulnerability with the given IDs
// (its ID and aliases) at time now, if any, and the expired entries that
// would have: those no longer ignore, and the caller warns about them.
func (ig *Ignores) Match(ids []string, now time.Time) (active *Ignore, expired []Ignore) {
	if ig == nil {
		return nil, nil
	}
	for i, e := range ig.Entries {
		if !slices.ContainsFunc(ids, func(id string) bool { return strings.EqualFold(id, e.ID) }) {
			continue
		}
		if !e.Until.IsZero() && !now.Before(e.Until) {
			expired = append(expired, e)
			continue
		}
		if active == nil {
			active = &ig.Entries[i]
		}
	}
	return active, expired
}
