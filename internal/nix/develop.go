package nix

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/exec"
	"slices"
	"syscall"
)

// DevelopCommand returns the whole command line of nix develop on
// installable, which opens its shell, or with command runs command in it:
// "nix", the global flags but the log format (the shell is the user's
// terminal, which reads Nix's own messages), develop, FlakeArgs, the
// installable, then --command and command, which Nix takes whole.
func (d *Driver) DevelopCommand(installable string, command []string) []string {
	bin := d.Bin
	if bin == "" {
		bin = "nix"
	}
	argv := []string{bin, "--extra-experimental-features", experimentalFeatures}
	if d.Store != "" {
		argv = append(argv, "--store", d.Store)
	}
	argv = slices.Concat(argv, d.Args, d.probeArgs(context.Background(), "develop"), []string{"develop"}, d.FlakeArgs, []string{installable})
	if len(command) > 0 {
		argv = append(append(argv, "--command"), command...)
	}
	return argv
}

// Develop runs DevelopCommand with stdin, stdout and stderr, and returns
// the exit status of the shell or the command. It is not cancelled: the
// terminal's signals reach the shell, whose work it is to stop.
func (d *Driver) Develop(installable string, command []string, stdin io.Reader, stdout, stderr io.Writer) (int, error) {
	bin, err := d.lookBin()
	if err != nil {
		return 0, err
	}
	argv := d.DevelopCommand(installable, command)
	cmd := exec.Command(bin, argv[1:]...)
	cmd.Env = append(os.Environ(), d.Env...)
	cmd.Stdin, cmd.Stdout, cmd.Stderr = stdin, stdout, stderr
	err = cmd.Run()
	if ee, ok := errors.AsType[*exec.ExitError](err); ok {
		if ws, ok := ee.Sys().(syscall.WaitStatus); ok && ws.Signaled() {
			return 128 + int(ws.Signal()), nil // as a shell reports a killed command
		}
		return ee.ExitCode(), nil
	}
	if err != nil {
		return 0, fmt.Errorf("running nix develop: %w", err)
	}
	return 0, nil
}
