package containertest

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"

	"github.com/moby/patternmatcher"

	"github.com/nixlayer/nixlayer/internal/container"
	"github.com/nixlayer/nixlayer/internal/testenv"
)

// Image is a container image as a directory tree.
type Image struct {
	// Root is the image's filesystem. It is never written: execs see it
	// through an overlay.
	Root string
	// Env is the image config's environment ("KEY=value"), which execs
	// start from.
	Env []string
	// Binds are host directories the image holds, such as the host's /usr
	// for an image of Go, which the tests take from the machine.
	Binds []testenv.Bind
}

// Engine runs plans as the Dagger engine would.
type Engine struct {
	// Images are the images plans start from, by reference, or, for a
	// plan on a given platform, by PlatformImage(reference, platform),
	// as the engine pulls each platform's image of a multi-platform
	// index. A plan on another platform than the machine's runs under
	// emulation, as the engine would run it.
	Images map[string]Image
	// Dir holds the cache volumes and each exec's files.
	Dir string
	// Volumes maps volume names to directories of the host to use as
	// those volumes, such as Go's caches; other volumes are made in Dir.
	Volumes map[string]string
}

// PlatformImage is the key of Engine.Images for the image that ref
// names on the OCI platform, such as "linux/arm64".
func PlatformImage(ref, platform string) string { return ref + " for " + platform }

// Inputs are the call's inputs, as files and directories of the host.
type Inputs struct {
	// ModuleSource is the module's source directory.
	ModuleSource string
	// Project is the user's project directory.
	Project string
	// Nixpkgs is the nixpkgs directory that replaces the pinned one.
	Nixpkgs string
	// Helper is the helper binary.
	Helper string
	// Layouts are OCI layout directories, by index.
	Layouts []string
	// Password is the registry password secret.
	Password string
	// Scanner, Image, Database and Ignore are a scan's: the scanner
	// binary, the image archive, the OSV database directory and the ignore
	// file.
	Scanner, Image, Database, Ignore string
	// Flake is the flake directory an update moves the pin of.
	Flake string
	// GitHubToken is an update's GitHub token secret.
	GitHubToken string
	// BaseImage is the archive of a build's base image.
	BaseImage string
}

// Result is a finished exec.
type Result struct {
	// Upper holds what the exec changed of the container's own filesystem
	// (not of its mounts): where Output finds the plan's output.
	Upper          string
	Stdout, Stderr string
	// ExitCode is the exec's exit status, 0 on success.
	ExitCode int
}

// Output returns where, on the host, the output of p is after its exec.
func (r Result) Output(p container.Plan) string {
	return filepath.Join(r.Upper, p.Output.Path)
}

// Run runs p's exec and returns what it did. A failure to set the
// container up fails the test; the exec's own failure is in the result.
func (e *Engine) Run(t testing.TB, p container.Plan, in Inputs) Result {
	t.Helper()
	if err := p.Check(); err != nil {
		t.Fatal(err)
	}
	img, ok := e.Images[PlatformImage(p.Image, p.Platform)]
	if !ok {
		img, ok = e.Images[p.Image]
	}
	if !ok {
		t.Fatalf("%s: no image %s", p.What, p.Image)
	}
	run, err := os.MkdirTemp(e.Dir, "exec-")
	if err != nil {
		t.Fatal(err)
	}
	cmd := testenv.Command{Root: filepath.Join(run, "root"), Lower: img.Root, Upper: filepath.Join(run, "upper"), Work: filepath.Join(run, "work"), Pivot: true}
	for _, d := range []string{cmd.Root, cmd.Upper, cmd.Work} {
		if err := os.MkdirAll(d, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	cmd.Binds = append(cmd.Binds, img.Binds...)
	env := envMap(img.Env)
	for _, m := range p.Mounts {
		switch m.Kind {
		case container.CacheMount:
			dir, unlock := e.volume(t, img, m)
			defer unlock()
			cmd.Binds = append(cmd.Binds, testenv.Bind{Source: dir, Target: m.Path})
		case container.DirMount, container.FileMount:
			src := e.input(t, run, m.Input, in)
			cmd.Binds = append(cmd.Binds, testenv.Bind{Source: src, Target: m.Path, ReadOnly: m.Input.Kind != container.InputModuleSource && m.Input.Kind != container.InputProject})
		}
	}
	for _, v := range p.Env {
		env[v.Name] = v.Value
	}
	for _, s := range p.Secrets {
		value := map[container.InputKind]string{container.InputRegistryPassword: in.Password, container.InputGitHubToken: in.GitHubToken}[s.Input.Kind]
		if value == "" {
			t.Fatalf("%s: no secret %s", p.What, s.Input.Kind)
		}
		env[s.Name] = value
	}
	for _, d := range p.Dirs {
		// A directory the plan makes is part of the container's own
		// filesystem: the overlay's upper layer.
		if err := os.MkdirAll(filepath.Join(cmd.Upper, d), 0o755); err != nil {
			t.Fatal(err)
		}
	}
	cmd.Dir = p.Workdir
	cmd.Env = envList(env)
	cmd.Argv = p.Argv
	stdout, stderr, err := testenv.RunInRoot(t, cmd)
	res := Result{Upper: cmd.Upper, Stdout: stdout, Stderr: stderr}
	if ee, ok := errors.AsType[*exec.ExitError](err); ok {
		res.ExitCode = ee.ExitCode()
	} else if err != nil {
		t.Fatalf("%s: %v", p.What, err)
	}
	if res.ExitCode == 127 && strings.HasPrefix(stderr, "testenv rootfs:") {
		t.Fatalf("%s: setting the container up: %s", p.What, stderr)
	}
	return res
}

// volume returns the directory of m's volume, seeded from img the first
// time, and locked for the exec when m is Locked.
func (e *Engine) volume(t testing.TB, img Image, m container.Mount) (string, func()) {
	t.Helper()
	if dir, ok := e.Volumes[m.Volume]; ok {
		return dir, func() {}
	}
	dir := filepath.Join(e.Dir, "volumes", m.Volume)
	if _, err := os.Stat(dir); errors.Is(err, fs.ErrNotExist) {
		tmp := dir + ".seeding"
		if err := os.MkdirAll(tmp, 0o755); err != nil {
			t.Fatal(err)
		}
		if m.Seed != "" {
			// cp keeps the store's modes, links and times, as a seed does.
			if out, err := exec.Command("cp", "-a", filepath.Join(img.Root, m.Seed)+"/.", tmp).CombinedOutput(); err != nil {
				t.Fatalf("seeding the volume %s: %v\n%s", m.Volume, err, out)
			}
		}
		if err := os.Rename(tmp, dir); err != nil {
			t.Fatal(err)
		}
	}
	if m.Sharing != container.Locked {
		return dir, func() {}
	}
	lock, err := os.OpenFile(dir+".lock", os.O_CREATE|os.O_RDWR, 0o644)
	if err != nil {
		t.Fatal(err)
	}
	if err := syscall.Flock(int(lock.Fd()), syscall.LOCK_EX); err != nil {
		t.Fatal(err)
	}
	return dir, func() { lock.Close() }
}

// input returns the host path of a directory or file input, making the
// filtered views the engine would make in run.
func (e *Engine) input(t testing.TB, run string, i container.Input, in Inputs) string {
	t.Helper()
	var src string
	switch i.Kind {
	case container.InputModuleSource:
		src = filepath.Join(run, "source")
		if err := copyFiltered(in.ModuleSource, src, i.Include, i.Exclude); err != nil {
			t.Fatalf("filtering the module source: %v", err)
		}
	case container.InputProject:
		src = filepath.Join(run, "project")
		if err := projectView(in.Project, src, i); err != nil {
			t.Fatalf("making the project view: %v", err)
		}
	case container.InputNixpkgs:
		src = in.Nixpkgs
	case container.InputFlake:
		src = in.Flake
	case container.InputHelper:
		src = in.Helper
	case container.InputLayout:
		if i.Index < len(in.Layouts) {
			src = in.Layouts[i.Index]
		}
	case container.InputScanner:
		src = in.Scanner
	case container.InputImage:
		src = in.Image
	case container.InputDatabase:
		src = in.Database
	case container.InputIgnore:
		src = in.Ignore
	case container.InputBaseImage:
		src = in.BaseImage
	}
	if src == "" {
		t.Fatalf("the call has no %s input", i.Kind)
	}
	return src
}

// copyFiltered copies the files of src that the include patterns (all,
// when there are none) and not the exclude patterns match, as the engine
// filters a directory: a pattern that matches a directory matches what is
// inside it.
func copyFiltered(src, dst string, include, exclude []string) error {
	inc, err := patternmatcher.New(include)
	if err != nil {
		return err
	}
	exc, err := patternmatcher.New(exclude)
	if err != nil {
		return err
	}
	return filepath.WalkDir(src, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, err := filepath.Rel(src, p)
		if err != nil || rel == "." {
			return err
		}
		if d.IsDir() {
			if ex, err := exc.MatchesOrParentMatches(rel); err != nil || ex {
				if ex {
					return filepath.SkipDir
				}
				return err
			}
			return nil
		}
		if len(include) > 0 {
			if ok, err := inc.MatchesOrParentMatches(rel); err != nil || !ok {
				return err
			}
		}
		if ex, err := exc.MatchesOrParentMatches(rel); err != nil || ex {
			return err
		}
		return copyFile(p, filepath.Join(dst, rel), d)
	})
}

// projectView makes the project view that i describes from the project
// directory.
func projectView(project, dst string, i container.Input) error {
	for _, f := range i.Files {
		fi, err := os.Lstat(filepath.Join(project, f))
		if err != nil {
			return err
		}
		if err := copyFile(filepath.Join(project, f), filepath.Join(dst, f), fs.FileInfoToDirEntry(fi)); err != nil {
			return err
		}
	}
	for _, d := range i.Dirs {
		if err := copyFiltered(filepath.Join(project, d), filepath.Join(dst, d), nil, i.Exclude); err != nil {
			return err
		}
	}
	return os.MkdirAll(dst, 0o755)
}

func copyFile(src, dst string, d fs.DirEntry) error {
	if err := os.MkdirAll(filepath.Dir(dst), 0o755); err != nil {
		return err
	}
	if d.Type()&fs.ModeSymlink != 0 {
		target, err := os.Readlink(src)
		if err != nil {
			return err
		}
		return os.Symlink(target, dst)
	}
	data, err := os.ReadFile(src)
	if err != nil {
		return err
	}
	info, err := d.Info()
	if err != nil {
		return err
	}
	return os.WriteFile(dst, data, info.Mode().Perm())
}

func envMap(env []string) map[string]string {
	m := map[string]string{}
	for _, kv := range env {
		k, v, _ := strings.Cut(kv, "=")
		m[k] = v
	}
	return m
}

func envList(m map[string]string) []string {
	var out []string
	for k, v := range m {
		out = append(out, fmt.Sprintf("%s=%s", k, v))
	}
	return out
}
