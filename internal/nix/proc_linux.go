package nix

import (
	"os/exec"
	"syscall"
)

// startInOwnGroup makes cmd start in a process group of its own, so that
// terminate reaches the helpers nix runs (such as git) along with nix, and
// has the kernel send it SIGTERM when nixlayer dies: killed with SIGKILL,
// nixlayer cannot terminate it, and nix would go on building for as long
// as its build takes.
func startInOwnGroup(cmd *exec.Cmd) {
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true, Pdeathsig: syscall.SIGTERM}
}
