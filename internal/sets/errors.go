package sets

import (
	"fmt"
	"strings"

	"github.com/agnivade/levenshtein"

	"github.com/nixlayer/nixlayer/internal/usererr"
)

// UnknownSetError reports a set name that is not in the catalog. It wraps
// usererr.ErrBadInput.
type UnknownSetError struct {
	// Name is the name as the user wrote it.
	Name string
	// Suggestion is the closest known name, or "" when none is close.
	Suggestion string
	// Known lists every set in the catalog, in catalog order.
	Known []string
}

// Error returns a one-line message that names the nearest known set, if any,
// and lists all known sets.
func (e *UnknownSetError) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "unknown set %q", e.Name)
	if e.Suggestion != "" {
		fmt.Fprintf(&b, " (did you mean %q?)", e.Suggestion)
	}
	if len(e.Known) == 0 {
		b.WriteString("; no sets are defined")
	} else {
		b.WriteString("; known sets: ")
		b.WriteString(strings.Join(e.Known, ", "))
	}
	return b.String()
}

// Unwrap returns usererr.ErrBadInput.
func (e *UnknownSetError) Unwrap() error { return usererr.ErrBadInput }

// ProjectError reports a problem in a project file, with the line it is on.
// It wraps usererr.ErrBadInput and, when there is one, the underlying cause (for
// example fs.ErrNotExist for a missing overlay file).
type ProjectError struct {
	// File is the project file's name as given to ParseProject or
	// LoadProject.
	File string
	// Line is the 1-based line of the problem.
	Line int
	// Msg describes the problem.
	Msg string
	// Err is the underlying cause, or nil.
	Err error
}

// Error returns the message in the form "file:line: message".
func (e *ProjectError) Error() string {
	return fmt.Sprintf("%s:%d: %s", e.File, e.Line, e.Msg)
}

// Unwrap returns usererr.ErrBadInput and, when there is one, the underlying cause.
func (e *ProjectError) Unwrap() []error {
	if e.Err == nil {
		return []error{usererr.ErrBadInput}
	}
	return []error{usererr.ErrBadInput, e.Err}
}

// suggest returns the candidate closest to name, compared without regard to
// case, or "" when no candidate is close enough to be a plausible typo. A
// candidate is close when its edit distance is at most 2 and at most half
// its length; failing that, a candidate that name is a prefix of (for names
// of three or more characters) is suggested. Ties go to the earlier
// candidate.
func suggest(name string, candidates []string) string {
	lower := strings.ToLower(name)
	best, bestDist := "", -1
	for _, c := range candidates {
		d := levenshtein.ComputeDistance(lower, strings.ToLower(c))
		if d > 2 || d > len(c)/2 {
			continue
		}
		if bestDist < 0 || d < bestDist {
			best, bestDist = c, d
		}
	}
	if best != "" || len(lower) < 3 {
		return best
	}
	for _, c := range candidates {
		if strings.HasPrefix(strings.ToLower(c), lower) {
			return c
		}
	}
	return ""
}
