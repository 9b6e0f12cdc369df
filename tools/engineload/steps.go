package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"time"
)

// A stepError is a load step that failed: the step, as the engine would
// report where the module failed to load, and why, in one line; the
// output of the command that failed, if any, goes before it.
type stepError struct {
	step   string
	reason string
	output string
}

func (e *stepError) Error() string {
	return fmt.Sprintf("the engine would fail at %s: %s", e.step, e.reason)
}

// A moduleConfig is what the check reads of dagger.json.
type moduleConfig struct {
	Name          string `json:"name"`
	EngineVersion string `json:"engineVersion"`
	SDK           struct {
		Source string `json:"source"`
	} `json:"sdk"`
	Source       string `json:"source"`
	Dependencies []struct {
		Name   string `json:"name"`
		Source string `json:"source"`
	} `json:"dependencies"`
}

func readModuleConfig(dir string) (*moduleConfig, error) {
	data, err := os.ReadFile(filepath.Join(dir, "dagger.json"))
	if err != nil {
		return nil, &stepError{step: "reading dagger.json", reason: err.Error()}
	}
	var c moduleConfig
	if err := json.Unmarshal(data, &c); err != nil {
		return nil, &stepError{step: "reading dagger.json", reason: err.Error()}
	}
	if c.SDK.Source != "go" {
		return nil, &stepError{step: "reading dagger.json", reason: fmt.Sprintf("%s/dagger.json has the SDK %q; this check knows the Go SDK's load sequence", dir, c.SDK.Source)}
	}
	if c.Source == "" {
		c.Source = "."
	}
	return &c, nil
}

// copyTree copies the files of the context directory that git would
// commit or keep (tracked, or untracked and not ignored), as the engine
// receives a module's context, into dst; outside a git repository, every
// file.
func copyTree(src, dst string) error {
	names, err := contextFiles(src)
	if err != nil {
		return err
	}
	for _, name := range names {
		if err := copyFile(filepath.Join(src, name), filepath.Join(dst, name)); err != nil {
			if errors.Is(err, fs.ErrNotExist) {
				continue // deleted in the work tree, not yet in the index
			}
			return err
		}
	}
	return nil
}

func contextFiles(dir string) ([]string, error) {
	out, err := exec.Command("git", "-C", dir, "ls-files", "-z", "--cached", "--others", "--exclude-standard").Output()
	if err == nil {
		return strings.Split(strings.TrimSuffix(string(out), "\x00"), "\x00"), nil
	}
	if _, statErr := os.Stat(filepath.Join(dir, ".git")); statErr == nil {
		return nil, fmt.Errorf("listing the files of %s: %w", dir, err)
	}
	var names []string
	err = filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		rel, err := filepath.Rel(dir, p)
		names = append(names, rel)
		return err
	})
	return names, err
}

func copyFile(src, dst string) error {
	info, err := os.Lstat(src)
	if err != nil {
		return err
	}
	if err := os.MkdirAll(filepath.Dir(dst), 0o755); err != nil {
		return err
	}
	if info.Mode()&fs.ModeSymlink != 0 {
		target, err := os.Readlink(src)
		if err != nil {
			return err
		}
		return os.Symlink(target, dst)
	}
	if !info.Mode().IsRegular() {
		return nil
	}
	in, err := os.Open(src)
	if err != nil {
		return err
	}
	defer in.Close()
	out, err := os.OpenFile(dst, os.O_CREATE|os.O_WRONLY|os.O_TRUNC, info.Mode().Perm())
	if err != nil {
		return err
	}
	if _, err := io.Copy(out, in); err != nil {
		out.Close()
		return err
	}
	return out.Close()
}

// run runs a command in dir, with env added to the environment, and
// returns its combined output.
func run(dir string, env []string, name string, args ...string) (string, error) {
	cmd := exec.Command(name, args...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), env...)
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	err := cmd.Run()
	return out.String(), err
}

// lastLine is the last line of a command's output that is not a log line
// of the code generator's, which says best what went wrong.
func lastLine(out string) string {
	lines := strings.Split(strings.TrimSpace(out), "\n")
	for i := len(lines) - 1; i >= 0; i-- {
		l := strings.TrimSpace(lines[i])
		if l != "" && !strings.Contains(l, " INFO ") {
			return l
		}
	}
	return "no output"
}

// timed reports how long a step took, for the check's progress lines.
func timed(log io.Writer, what string, f func() error) error {
	start := time.Now()
	if err := f(); err != nil {
		return err
	}
	fmt.Fprintf(log, "engineload: %s (%.1f s)\n", what, time.Since(start).Seconds())
	return nil
}
