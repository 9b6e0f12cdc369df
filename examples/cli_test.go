package examples_test

import (
	"errors"
	"fmt"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
)

// cli is the nixlayer CLI, built from this checkout, with the commands
// and flags its help prints.
type cli struct {
	bin  string
	cmds map[string]*cliCommand
}

// cliCommand is a command's help: its subcommands, and its flags (long
// and short, global ones too) with whether each takes a value.
type cliCommand struct {
	subcommands map[string]bool
	flags       map[string]bool
}

// newCLI builds cmd/nixlayer.
func newCLI(t *testing.T) *cli {
	t.Helper()
	bin := filepath.Join(t.TempDir(), "nixlayer")
	build := exec.Command("go", "build", "-o", bin, "../cmd/nixlayer")
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("building the CLI: %v\n%s", err, out)
	}
	return &cli{bin: bin, cmds: map[string]*cliCommand{}}
}

var (
	helpSection = regexp.MustCompile(`^([A-Z][A-Za-z ]*):$`)
	helpFlag    = regexp.MustCompile(`^\s+(?:-([A-Za-z0-9]), )?--([A-Za-z0-9][\w-]*)( [a-zA-Z0-9]+)?\s{2,}\S`)
	helpCommand = regexp.MustCompile(`^\s+([a-z][\w-]*) +\S`) // cobra pads names to 11 characters, and a longer one by one space
)

// command returns the help of the command path, such as ["build"], or an
// error when the CLI has no such command.
func (c *cli) command(t *testing.T, path []string) (*cliCommand, error) {
	key := strings.Join(path, " ")
	if cmd := c.cmds[key]; cmd != nil {
		return cmd, nil
	}
	var stdout, stderr strings.Builder
	help := exec.Command(c.bin, append(slices.Clone(path), "--help")...)
	help.Stdout, help.Stderr = &stdout, &stderr
	if err := help.Run(); err != nil {
		if errors.Is(err, exec.ErrNotFound) {
			t.Fatal(err)
		}
		return nil, fmt.Errorf("%s --help: %v: %s", cliName(path), err, strings.TrimSpace(stderr.String()))
	}
	cmd := &cliCommand{subcommands: map[string]bool{}, flags: map[string]bool{}}
	section := ""
	for _, line := range strings.Split(stdout.String(), "\n") {
		if m := helpSection.FindStringSubmatch(line); m != nil {
			section = m[1]
			continue
		}
		switch section {
		case "Available Commands":
			if m := helpCommand.FindStringSubmatch(line); m != nil {
				cmd.subcommands[m[1]] = true
			}
		case "Flags", "Global Flags":
			if m := helpFlag.FindStringSubmatch(line); m != nil {
				takes := m[3] != ""
				cmd.flags["--"+m[2]] = takes
				if m[1] != "" {
					cmd.flags["-"+m[1]] = takes
				}
			}
		}
	}
	if len(cmd.flags) == 0 {
		t.Fatalf("%s --help lists no flags:\n%s", cliName(path), stdout.String())
	}
	c.cmds[key] = cmd
	return cmd, nil
}

// check checks the words after "nixlayer" against the CLI's help, and
// returns what is wrong with them.
func (c *cli) check(t *testing.T, args []string) []string {
	var path []string
	cmd, err := c.command(t, nil)
	if err != nil {
		return []string{err.Error()}
	}
	for i := 0; i < len(args); i++ {
		w := args[i]
		if strings.HasPrefix(w, "-") && w != "-" {
			name, _, hasValue := strings.Cut(w, "=")
			takes, ok := cmd.flags[name]
			if !ok {
				return []string{fmt.Sprintf("%s has no flag %s", cliName(path), name)}
			}
			if takes && !hasValue {
				i++
			}
			continue
		}
		if len(cmd.subcommands) == 0 {
			continue // a positional argument, such as build's kind
		}
		if !cmd.subcommands[w] {
			var names []string
			for n := range cmd.subcommands {
				names = append(names, n)
			}
			slices.Sort(names)
			return []string{fmt.Sprintf("%s has no command %s (it has %s)", cliName(path), w, strings.Join(names, ", "))}
		}
		path = append(path, w)
		if cmd, err = c.command(t, path); err != nil {
			return []string{err.Error()}
		}
	}
	return nil
}

// cliName names a command path for a message: "nixlayer build".
func cliName(path []string) string {
	return strings.Join(append([]string{"nixlayer"}, path...), " ")
}
