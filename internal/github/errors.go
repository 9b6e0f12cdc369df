package github

import (
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/nixlayer/nixlayer/internal/sets"
)

// The sentinels that the client's errors wrap, so that a caller can tell
// what went wrong with errors.Is. ErrBadToken, ErrForbidden and ErrNotFound
// are the user's to fix (a token, or the name of a repository) and also
// wrap sets.ErrBadInput; the others are failures of the network or of the
// server.
var (
	// ErrRateLimited: the host refused the request under its rate limit.
	// Errors that wrap it are a *RateLimitError.
	ErrRateLimited = errors.New("rate-limited")
	// ErrBadToken: the host rejected the token (401).
	ErrBadToken = errors.New("bad token")
	// ErrForbidden: the host refused access for another reason (403).
	ErrForbidden = errors.New("forbidden")
	// ErrNotFound: the repository does not exist or is not visible (404).
	ErrNotFound = errors.New("not found")
	// ErrNetwork: the host could not be reached or did not answer in time.
	ErrNetwork = errors.New("network failure")
	// ErrMalformed: the answer was not the JSON that the API documents.
	ErrMalformed = errors.New("malformed answer")
	// ErrStatus: the host answered with another unexpected status.
	ErrStatus = errors.New("unexpected status")
)

// apiError is an error with a ready-made one-line message, the sentinels it
// wraps and, when there is one, an underlying cause.
type apiError struct {
	msg   string
	kinds []error
	cause error
}

func (e *apiError) Error() string { return e.msg }

// Unwrap returns the sentinels and, when there is one, the cause.
func (e *apiError) Unwrap() []error {
	if e.cause == nil {
		return e.kinds
	}
	return append(e.kinds[:len(e.kinds):len(e.kinds)], e.cause)
}

// newError returns an error for what was being done (doing) and the
// sentinel kind, with a message from format and args. The user's errors
// also wrap sets.ErrBadInput.
func newError(doing string, kind, cause error, format string, args ...any) error {
	kinds := []error{kind}
	if kind == ErrBadToken || kind == ErrForbidden || kind == ErrNotFound {
		kinds = append(kinds, sets.ErrBadInput)
	}
	return &apiError{msg: doing + ": " + oneLine(fmt.Sprintf(format, args...)), kinds: kinds, cause: cause}
}

// RateLimitError reports a request that the host refused under its rate
// limit. It wraps ErrRateLimited.
type RateLimitError struct {
	// Doing says what was being done, as at the start of every error.
	Doing string
	// Host is the API's host.
	Host string
	// Status is the HTTP status: 403 or 429.
	Status int
	// Reset is when the limit resets (X-RateLimit-Reset), or zero.
	Reset time.Time
	// RetryAfter is how long to wait (Retry-After), or zero.
	RetryAfter time.Duration
	// Token tells whether the request carried a token.
	Token bool
}

// Error returns a one-line message that says when to try again and, when
// no token was sent, to set GITHUB_TOKEN, which raises the limit.
func (e *RateLimitError) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s: %s rate-limited the request (%d)", e.Doing, e.Host, e.Status)
	switch {
	case !e.Reset.IsZero():
		fmt.Fprintf(&b, "; the limit resets at %s", e.Reset.UTC().Format(time.RFC3339))
	case e.RetryAfter > 0:
		fmt.Fprintf(&b, "; retry after %s", e.RetryAfter)
	}
	if e.Token {
		b.WriteString("; the limit of GITHUB_TOKEN is used up")
	} else {
		b.WriteString("; set GITHUB_TOKEN for a higher limit")
	}
	return b.String()
}

// Unwrap returns ErrRateLimited.
func (e *RateLimitError) Unwrap() error { return ErrRateLimited }

// oneLine turns line breaks and runs of blanks into single spaces and
// shortens very long text, so that text from a server keeps an error to
// one readable line.
func oneLine(s string) string {
	s = strings.Join(strings.Fields(s), " ")
	const limit = 300
	if len(s) > limit {
		cut := limit
		for cut > 0 && s[cut]&0xC0 == 0x80 { // not inside a UTF-8 sequence
			cut--
		}
		s = s[:cut] + "…"
	}
	return s
}
