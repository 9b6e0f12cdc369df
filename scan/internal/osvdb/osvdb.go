package osvdb

import (
	"archive/zip"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"strings"

	"github.com/nixlayer/nixlayer/internal/usererr"
)

// Ecosystems are the OSV ecosystems a nixlayer image needs: GIT for the
// Nix packages' source repositories, and those of the language packages
// that Nix closures hold (Python, Go, Node.js and Rust packages).
var Ecosystems = []string{"GIT", "Go", "PyPI", "npm", "crates.io"}

// DefaultURL is where osv-scanner downloads the databases from.
const DefaultURL = "https://osv-vulnerabilities.storage.googleapis.com"

// ZipPath is where the database of ecosystem eco is under dir.
func ZipPath(dir, eco string) string {
	return filepath.Join(dir, "osv-scalibr", eco, "all.zip")
}

// Check checks the local copy at dir: it must have an osv-scalibr
// directory, and every all.zip in it must be a zip archive whose .json
// entries are OSV records with an id. It returns the ecosystems of
// Ecosystems that dir has no database for, whose packages are then not
// matched. Every failure is bad input.
func Check(dir string) (missing []string, err error) {
	if st, err := os.Stat(filepath.Join(dir, "osv-scalibr")); err != nil || !st.IsDir() {
		return nil, usererr.Errorf("--db %s: no osv-scalibr directory (want %s)", dir, ZipPath(dir, "<Ecosystem>"))
	}
	zips, err := filepath.Glob(filepath.Join(dir, "osv-scalibr", "*", "all.zip"))
	if err != nil {
		return nil, err
	}
	for _, z := range zips {
		if err := checkZip(z); err != nil {
			return nil, err
		}
	}
	for _, eco := range Ecosystems {
		if _, err := os.Stat(ZipPath(dir, eco)); errors.Is(err, fs.ErrNotExist) {
			missing = append(missing, eco)
		}
	}
	return missing, nil
}

// checkZip checks one database zip.
func checkZip(file string) error {
	data, err := os.ReadFile(file)
	if err != nil {
		return fmt.Errorf("reading the OSV database %s: %w", file, err)
	}
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		return usererr.Errorf("OSV database %s: %w", file, err)
	}
	for _, f := range zr.File {
		if !strings.HasSuffix(f.Name, ".json") {
			continue
		}
		if err := checkRecord(f); err != nil {
			return usererr.Errorf("OSV database %s: %s: %w", file, f.Name, err)
		}
	}
	return nil
}

func checkRecord(f *zip.File) error {
	r, err := f.Open()
	if err != nil {
		return err
	}
	defer r.Close()
	data, err := io.ReadAll(r)
	if err != nil {
		return err
	}
	var rec struct {
		ID string `json:"id"`
	}
	if err := json.Unmarshal(data, &rec); err != nil {
		return fmt.Errorf("not an OSV record: %w", err)
	}
	if rec.ID == "" {
		return errors.New("not an OSV record: no id")
	}
	return nil
}
