package container_test

import (
	"errors"
	"testing"

	"github.com/nixlayer/nixlayer/internal/container"
	"github.com/nixlayer/nixlayer/internal/usererr"
)

func TestHelperError(t *testing.T) {
	const what = "building the runtime image for linux/arm64"
	tests := []struct {
		name     string
		exitCode int
		stderr   string
		want     string
		badInput bool
	}{
		{
			name:     "bad input is the command line's line",
			exitCode: 2,
			stderr:   "nixlayer: building 12 attributes from sets [base]\nevaluating…\nnixlayer: attribute \"pyhton312\" (from --packages) is not in nixpkgs\n",
			want:     `attribute "pyhton312" (from --packages) is not in nixpkgs`,
			badInput: true,
		},
		{
			name:     "another failure says what failed",
			exitCode: 1,
			stderr:   "building '/nix/store/…-openssl.drv'…\nerror: builder failed\nnixlayer: building 3 packages: exit status 1 | error: builder failed\n",
			want:     what + ": building 3 packages: exit status 1 | error: builder failed",
		},
		{
			name:     "not the helper's line: the last line",
			exitCode: 137,
			stderr:   "nixlayer: building 12 attributes from sets [base]\ncopying path …\nKilled\n\n",
			want:     what + ": Killed",
		},
		{
			name:     "an error after progress of the helper's own",
			exitCode: 1,
			stderr:   "nixlayer: building 12 attributes from sets [base]\nnixlayer: writing /nixlayer/out/image.tar: no space left on device",
			want:     what + ": writing /nixlayer/out/image.tar: no space left on device",
		},
		{
			name:     "nothing on standard error",
			exitCode: 1,
			want:     what + ": the helper exited with status 1",
		},
	}
	for _, tt := range tests {
		err := container.NewHelperError(what, tt.exitCode, tt.stderr)
		if got := err.Error(); got != tt.want {
			t.Errorf("%s: error %q, want %q", tt.name, got, tt.want)
		}
		if got := errors.Is(err, usererr.ErrBadInput); got != tt.badInput {
			t.Errorf("%s: errors.Is(err, usererr.ErrBadInput) = %v", tt.name, got)
		}
	}
}
