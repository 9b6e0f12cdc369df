// Command nixlayer-scan reports the OSV vulnerabilities of an image that
// nixlayer built, from the SBOM inside it, and fails above a threshold.
//
//	nixlayer-scan [flags] IMAGE.tar|OCI-DIR
//
// It exits 0 when no counted finding reaches --fail-on, 1 when one does
// (or the scan fails), and 2 for bad usage or input, with one line on
// standard error and no output written.
package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/signal"
	"syscall"
	"time"

	"github.com/nixlayer/nixlayer/internal/usererr"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := run(ctx, os.Args[1:], env{
		stdout: os.Stdout, stderr: os.Stderr, now: time.Now(),
		getenv: os.Getenv, client: http.DefaultClient, dbURL: "",
	})
	stop()
	os.Exit(code)
}

// env is what a run takes from its process, so that tests give their own.
type env struct {
	stdout, stderr io.Writer
	now            time.Time
	getenv         func(string) string
	client         *http.Client
	// dbURL replaces osvdb.DefaultURL when set, and apiURL
	// match.DefaultAPI.
	dbURL, apiURL string
}

// errFailed is the scan finding what its threshold fails on.
var errFailed = errors.New("findings at or above the threshold")

// run runs the command line args and returns the exit status.
func run(ctx context.Context, args []string, e env) int {
	err := scan(ctx, args, e)
	switch {
	case err == nil:
		return 0
	case errors.Is(err, errFailed):
		return 1
	case errors.Is(err, errHelp):
		return 0
	case errors.Is(err, usererr.ErrBadInput):
		fmt.Fprintf(e.stderr, "nixlayer-scan: %v\n", err)
		return 2
	}
	fmt.Fprintf(e.stderr, "nixlayer-scan: %v\n", err)
	return 1
}
