// Package input marks the scanner's errors that the user's input caused: a
// malformed image, SBOM, database or ignore file, or an unknown flag value.
// They wrap the nixlayer CLI's sets.ErrBadInput, so that one check tells
// bad input (exit status 2) from other failures (exit status 1).
package input
