//go:build unix

package nix

import (
	"errors"
	"os"
	"os/exec"
	"syscall"
)

// startInOwnGroup makes cmd start in a process group of its own, so that
// terminate reaches the helpers nix runs (such as git) along with nix.
func startInOwnGroup(cmd *exec.Cmd) {
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
}

// terminate sends SIGTERM to the process group led by p, on which nix
// interrupts its work, stops its builds and exits.
func terminate(p *os.Process) error {
	err := syscall.Kill(-p.Pid, syscall.SIGTERM)
	if errors.Is(err, syscall.ESRCH) {
		return os.ErrProcessDone
	}
	return err
}
