//go:build unix && !linux

package nix

import (
	"os/exec"
	"syscall"
)

// startInOwnGroup makes cmd start in a process group of its own, so that
// terminate reaches the helpers nix runs (such as git) along with nix.
func startInOwnGroup(cmd *exec.Cmd) {
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
}
