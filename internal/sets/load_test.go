package sets

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/nixlayer/nixlayer/internal/usererr"
)

// writeFile writes data to dir/name, creating parent directories.
func writeFile(t *testing.T, dir, name, data string) string {
	t.Helper()
	p := filepath.Join(dir, name)
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(p, []byte(data), 0o644); err != nil {
		t.Fatal(err)
	}
	return p
}

func TestLoadProjectResolvesOverlays(t *testing.T) {
	dir := t.TempDir()
	abs := writeFile(t, t.TempDir(), "site.nix", "final: prev: {}\n")
	writeFile(t, dir, "nix/overlays/openssl.nix", "final: prev: {}\n")
	writeFile(t, dir, "up.nix", "final: prev: {}\n")
	path := writeFile(t, dir, "sub/nixlayer.yaml", fmt.Sprintf(
		"packages: [htop]\noverlays:\n  - ../nix/overlays/openssl.nix\n  - %s\n  - ./../up.nix\n", abs))

	got, err := LoadProject(path)
	if err != nil {
		t.Fatalf("LoadProject: %v", err)
	}
	want := &Project{
		Path:     path,
		Packages: []Attr{{Path: "htop", Origin: path + " packages"}},
		Overlays: []Overlay{
			{Path: filepath.Join(dir, "nix/overlays/openssl.nix"), Line: 3},
			{Path: abs, Line: 4},
			{Path: filepath.Join(dir, "up.nix"), Line: 5},
		},
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("LoadProject mismatch (-want +got):\n%s", diff)
	}
}

func TestLoadProjectRelativePath(t *testing.T) {
	dir := t.TempDir()
	writeFile(t, dir, "nix/o.nix", "final: prev: {}\n")
	writeFile(t, dir, DefaultProjectFile, "overlays: [nix/o.nix]\n")
	t.Chdir(dir)
	got, err := LoadProject(DefaultProjectFile)
	if err != nil {
		t.Fatal(err)
	}
	wd, err := os.Getwd() // dir, with any symbolic links resolved
	if err != nil {
		t.Fatal(err)
	}
	want := &Project{Path: DefaultProjectFile, Overlays: []Overlay{{Path: filepath.Join(wd, "nix/o.nix"), Line: 1}}}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("LoadProject mismatch (-want +got):\n%s", diff)
	}
}

func TestLoadProjectOverlayErrors(t *testing.T) {
	dir := t.TempDir()
	writeFile(t, dir, "ok.nix", "final: prev: {}\n")
	if err := os.Mkdir(filepath.Join(dir, "dir.nix"), 0o755); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name, yaml, want string
		notExist         bool
	}{
		{
			name:     "missing",
			yaml:     "overlays:\n  - ok.nix\n  - nix/missing.nix\n",
			want:     fmt.Sprintf(`3: overlays: overlay "nix/missing.nix" does not exist (looked for %s)`, filepath.Join(dir, "nix/missing.nix")),
			notExist: true,
		},
		{
			name: "directory",
			yaml: "overlays: [dir.nix]\n",
			want: fmt.Sprintf(`1: overlays: overlay "dir.nix" is not a regular file (%s)`, filepath.Join(dir, "dir.nix")),
		},
		{
			name: "parse error comes first",
			yaml: "overlays: [missing.nix]\npackages: [foo bar]\n",
			want: `2: packages: invalid attribute path "foo bar": character ' ' is not allowed (use letters, digits, _, ' and -)`,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			path := writeFile(t, dir, "nixlayer.yaml", tt.yaml)
			_, err := LoadProject(path)
			if err == nil {
				t.Fatal("LoadProject succeeded, want an error")
			}
			if diff := cmp.Diff(path+":"+tt.want, err.Error()); diff != "" {
				t.Errorf("error mismatch (-want +got):\n%s", diff)
			}
			if !errors.Is(err, usererr.ErrBadInput) {
				t.Error("error does not wrap usererr.ErrBadInput")
			}
			if errors.Is(err, fs.ErrNotExist) != tt.notExist {
				t.Errorf("errors.Is(err, fs.ErrNotExist) = %v, want %v", !tt.notExist, tt.notExist)
			}
		})
	}
}

func TestLoadProjectReadErrors(t *testing.T) {
	dir := t.TempDir()
	missing := filepath.Join(dir, "nixlayer.yaml")
	_, err := LoadProject(missing)
	want := fmt.Sprintf("loading project file: open %s: no such file or directory", missing)
	if err == nil || err.Error() != want {
		t.Errorf("LoadProject(missing) = %v, want %q", err, want)
	}
	if !errors.Is(err, fs.ErrNotExist) || !errors.Is(err, usererr.ErrBadInput) {
		t.Errorf("missing-file error %v should wrap fs.ErrNotExist and usererr.ErrBadInput", err)
	}

	_, err = LoadProject(dir)
	if err == nil || errors.Is(err, usererr.ErrBadInput) {
		t.Errorf("LoadProject(directory) = %v, want an error that is not usererr.ErrBadInput", err)
	}
}
