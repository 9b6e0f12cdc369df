//go:build !unix

package nix

import (
	"os"
	"os/exec"
)

// startInOwnGroup does nothing where there are no process groups.
func startInOwnGroup(cmd *exec.Cmd) {}

// terminate kills p where it cannot be asked to stop.
func terminate(p *os.Process) error { return p.Kill() }
