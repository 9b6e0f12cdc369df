package policy

import (
	"strings"

	"github.com/nixlayer/nixlayer/scan/internal/input"
)

// Level is a severity rating, as CVSS names them.
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

var levelNames = map[Level]string{Unknown: "UNKNOWN", None: "NONE", Low: "LOW", Medium: "MEDIUM", High: "HIGH", Critical: "CRITICAL"}

// String returns the level's name, such as "HIGH".
func (l Level) String() string { return levelNames[l] }

// Levels are the names a threshold takes, lowest first.
const Levels = "NONE|LOW|MEDIUM|HIGH|CRITICAL"

// ParseLevel reads a threshold, in any case: NONE (never fail), LOW,
// MEDIUM, HIGH or CRITICAL.
func ParseLevel(s string) (Level, error) {
	for l, name := range levelNames {
		if l != Unknown && strings.EqualFold(s, name) {
			return l, nil
		}
	}
	return Unknown, input.Errorf("unknown level %q: want one of %s", s, Levels)
}

// Fails reports whether a counted finding of severity l fails a scan
// whose threshold is t: never when t is None, and otherwise when l is at
// least t or unknown, since a record that rates nothing cannot be assumed
// harmless.
func (l Level) Fails(t Level) bool {
	if t == None {
		return false
	}
	return l == Unknown || l >= t
}

// FromScore rates a CVSS base score: 0 is NONE, below 4 LOW, below 7
// MEDIUM, below 9 HIGH, and CRITICAL above.
func FromScore(score float64) Level {
	switch {
	case score <= 0:
		return None
	case score < 4:
		return Low
	case score < 7:
		return Medium
	case score < 9:
		return High
	}
	return Critical
}

// MarshalText writes the level's name, so that JSON reports say "HIGH".
func (l Level) MarshalText() ([]byte, error) { return []byte(l.String()), nil }

// UnmarshalText reads a level's name, UNKNOWN included.
func (l *Level) UnmarshalText(b []byte) error {
	for lv, name := range levelNames {
		if strings.EqualFold(string(b), name) {
			*l = lv
			return nil
		}
	}
	return input.Errorf("unknown level %q", b)
}
