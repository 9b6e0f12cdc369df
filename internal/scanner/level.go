package scanner

import (
	"fmt"
	"strings"
)

// Level is a severity level, as CVSS names them.
type Level int

// The levels, lowest first. Unknown is a record with no severity at all.
const (
	Unknown Level = iota
	None
	Low
	Medium
	High
	Critical
)

var levelNames = [...]string{Unknown: "UNKNOWN", None: "NONE", Low: "LOW", Medium: "MEDIUM", High: "HIGH", Critical: "CRITICAL"}

// Levels are every level, lowest first, Unknown included.
func Levels() []Level { return []Level{Unknown, None, Low, Medium, High, Critical} }

// Thresholds are the levels a threshold takes, lowest first: every level
// but Unknown.
func Thresholds() []Level { return Levels()[1:] }

// ThresholdNames names the thresholds for help and errors:
// NONE|LOW|MEDIUM|HIGH|CRITICAL.
func ThresholdNames() string {
	var names []string
	for _, l := range Thresholds() {
		names = append(names, l.String())
	}
	return strings.Join(names, "|")
}

// String returns the level's name, such as "HIGH".
func (l Level) String() string {
	if l < 0 || int(l) >= len(levelNames) {
		return fmt.Sprintf("Level(%d)", int(l))
	}
	return levelNames[l]
}

// ParseThreshold reads a threshold, in any case: NONE (never fail), LOW,
// MEDIUM, HIGH or CRITICAL. It is the one check of --fail-on, wherever it
// is given.
func ParseThreshold(s string) (Level, error) {
	for _, l := range Thresholds() {
		if strings.EqualFold(s, l.String()) {
			return l, nil
		}
	}
	return Unknown, fmt.Errorf("unknown level %q: want one of %s", s, ThresholdNames())
}

// Fails reports whether a counted finding of level l fails a scan whose
// threshold is t, that is whether it is "at or above" t: never when t is
// None, and otherwise when l is at least t or unknown, since a record that
// rates nothing cannot be assumed harmless.
func (l Level) Fails(t Level) bool {
	if t == None {
		return false
	}
	return l == Unknown || l >= t
}

// MarshalText writes the level's name, so that JSON says "HIGH".
func (l Level) MarshalText() ([]byte, error) { return []byte(l.String()), nil }

// UnmarshalText reads a level's name, in any case, UNKNOWN included.
func (l *Level) UnmarshalText(b []byte) error {
	for _, lv := range Levels() {
		if strings.EqualFold(string(b), lv.String()) {
			*l = lv
			return nil
		}
	}
	return fmt.Errorf("unknown level %q", b)
}
