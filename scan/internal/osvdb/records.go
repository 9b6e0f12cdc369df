package osvdb

import (
	"archive/zip"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"strings"

	osvpb "github.com/ossf/osv-schema/bindings/go/osvschema"
	"google.golang.org/protobuf/encoding/protojson"
)

// gitRepos are the repositories a record's GIT ranges name, read without
// decoding the whole record.
type gitRepos struct {
	Affected []struct {
		Ranges []struct {
			Type string `json:"type"`
			Repo string `json:"repo"`
		} `json:"ranges"`
	} `json:"affected"`
}

// Records reads the records of ecosystem eco's database under dir (one
// OSV JSON record per .json entry of DIR/osv-scalibr/<eco>/all.zip, the
// layout osv-scanner reads), keeping those whose GIT ranges name a
// repository that want accepts (want is given each range's repo as the
// record writes it). Only those are decoded whole, with the OSV schema's
// own bindings. A missing database has no records. A record that is not
// OSV JSON is left out, and a warning names it.
func Records(dir, eco string, want func(repo string) bool) ([]*osvpb.Vulnerability, []string, error) {
	file := ZipPath(dir, eco)
	zr, err := zip.OpenReader(file)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil, nil
	}
	if err != nil {
		return nil, nil, fmt.Errorf("reading the OSV database %s: %w", file, err)
	}
	defer zr.Close()
	var (
		out      []*osvpb.Vulnerability
		warnings []string
	)
	opts := protojson.UnmarshalOptions{DiscardUnknown: true}
	for _, f := range zr.File {
		if !strings.HasSuffix(f.Name, ".json") {
			continue
		}
		data, err := readEntry(f)
		if err != nil {
			return nil, nil, fmt.Errorf("reading the OSV database %s: %s: %w", file, f.Name, err)
		}
		var repos gitRepos
		if err := json.Unmarshal(data, &repos); err != nil {
			warnings = append(warnings, fmt.Sprintf("the OSV database %s: %s is not an OSV record (%v): left out", file, f.Name, err))
			continue
		}
		if !wanted(repos, want) {
			continue
		}
		v := &osvpb.Vulnerability{}
		if err := opts.Unmarshal(data, v); err != nil {
			warnings = append(warnings, fmt.Sprintf("the OSV database %s: %s is not an OSV record (%v): left out", file, f.Name, err))
			continue
		}
		out = append(out, v)
	}
	return out, warnings, nil
}

func wanted(r gitRepos, want func(string) bool) bool {
	for _, a := range r.Affected {
		for _, rg := range a.Ranges {
			if rg.Type == "GIT" && rg.Repo != "" && want(rg.Repo) {
				return true
			}
		}
	}
	return false
}

func readEntry(f *zip.File) ([]byte, error) {
	r, err := f.Open()
	if err != nil {
		return nil, err
	}
	defer r.Close()
	return io.ReadAll(r)
}
