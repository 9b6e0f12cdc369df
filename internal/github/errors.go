package github

import (
	"fmt"
	"strings"
	"time"

	"github.com/nixlayer/nixlayer/internal/usererr"
)

// apiError is an error with a ready-made one-line message and, when there
// is one, an underlying cause. The user's errors (a token, or the name of a
// repository, to fix) also wrap usererr.ErrBadInput; the others are failures
// of the network or of the server.
type apiError struct {
	msg   string
	user  bool
	cause error
}

func (e *apiError) Error() string { return e.msg }

// Unwrap returns usererr.ErrBadInput for the user's errors and, when there is
// one, the cause.
func (e *apiError) Unwrap() []error {
	var errs []error
	if e.user {
		errs = append(errs, usererr.ErrBadInput)
	}
	if e.cause != nil {
		errs = append(errs, e.cause)
	}
	return errs
}

// failure returns an error of the network or of the server for what was
// being done (doing), with a message from format and args.
func failure(doing string, cause error, format string, args ...any) error {
	return &apiError{msg: doing + ": " + oneLine(fmt.Sprintf(format, args...)), cause: cause}
}

// userError returns an error that the user is to fix, which wraps
// usererr.ErrBadInput, for what was being done (doing), with a message from
// format and args.
func userError(doing, format string, args ...any) error {
	return &apiError{msg: doing + ": " + oneLine(fmt.Sprintf(format, args...)), user: true}
}

// RateLimitError reports a request that the host refused under its rate
// limit. A caller finds it with errors.As.
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
