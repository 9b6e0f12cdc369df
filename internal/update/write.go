package update

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"

	"github.com/nixlayer/nixlayer/internal/atomic"
	"github.com/nixlayer/nixlayer/internal/changes"
)

// Files says where Write puts the results.
type Files struct {
	// Dir is where the new flake.nix and flake.lock go; "" is the flake
	// directory itself, which is then checked to be as Run read it.
	Dir string
	// Markdown and JSON are the report's files, or "" for none.
	Markdown, JSON string
	// Limit is the most bytes of the markdown; 0 is
	// changes.PullRequestLimit.
	Limit int
}

// Write writes the results: the new flake.nix and flake.lock (when the
// update changed them, or always into another Dir), then the report's
// files. Every file is prepared under a temporary name first and renamed
// into place only once all of them are written, so that on a failure none
// is, and a reader never sees a half-written one.
func (r *Result) Write(f Files) error {
	type out struct {
		path string
		data []byte
	}
	var outs []out
	dir := f.Dir
	if dir == "" {
		dir = r.dir
		for name, want := range map[string][]byte{FlakeFile: r.oldFlake, LockFile: r.oldLock} {
			got, err := os.ReadFile(filepath.Join(dir, name))
			if err != nil || !bytes.Equal(got, want) {
				return refuse(err, "%s changed while nixpkgs was being updated; run the update again", filepath.Join(dir, name))
			}
		}
	}
	if f.Dir != "" || r.Report.Changed {
		outs = append(outs, out{filepath.Join(dir, FlakeFile), r.Flake}, out{filepath.Join(dir, LockFile), r.Lock})
	}
	if f.Markdown != "" {
		limit := f.Limit
		if limit == 0 {
			limit = changes.PullRequestLimit
		}
		outs = append(outs, out{f.Markdown, []byte(changes.Markdown(r.Report, limit))})
	}
	if f.JSON != "" {
		data, err := json.MarshalIndent(r.Report, "", "  ")
		if err != nil {
			return fmt.Errorf("encoding the report: %w", err)
		}
		outs = append(outs, out{f.JSON, append(data, '\n')})
	}
	var files []*atomic.File
	defer func() {
		for _, a := range files {
			a.Abort()
		}
	}()
	for _, o := range outs {
		a, err := atomic.Create(o.path)
		if err != nil {
			return fmt.Errorf("writing %s: %w", o.path, err)
		}
		files = append(files, a)
		if _, err := a.Write(o.data); err != nil {
			return fmt.Errorf("writing %s: %w", o.path, err)
		}
	}
	for i, a := range files {
		if err := a.Commit(0o644); err != nil {
			return fmt.Errorf("writing %s: %w", outs[i].path, err)
		}
	}
	return nil
}
