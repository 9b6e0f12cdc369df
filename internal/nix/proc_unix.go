//go:build unix

package nix

import (
	"errors"
	"os"
	"syscall"
)

// terminate sends SIGTERM to the process group led by p, on which nix
// interrupts its work, stops its builds and exits.
func terminate(p *os.Process) error {
	err := syscall.Kill(-p.Pid, syscall.SIGTERM)
	if errors.Is(err, syscall.ESRCH) {
		return os.ErrProcessDone
	}
	return err
}
