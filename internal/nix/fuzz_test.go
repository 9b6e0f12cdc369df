package nix

import (
	"encoding/json"
	"os"
	"path"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

func FuzzDecodePathInfo(f *testing.F) {
	files, err := filepath.Glob("testdata/pathinfo-*.json")
	if err != nil {
		f.Fatal(err)
	}
	for _, file := range files {
		data, err := os.ReadFile(file)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data)
	}
	f.Add([]byte(`{"/nix/store/` + hashA + `-a": null}`))
	f.Add([]byte(`[{"path": "/gnu/store/` + hashA + `-a", "narHash": "sha1:iwjz551fyw0cxcjgf4l6c879zabd6wpm", "narSize": 0, "references": ["` + hashA + `-a"]}]`))

	f.Fuzz(func(t *testing.T, data []byte) {
		infos, err := DecodePathInfo(data)
		if err != nil {
			if !strings.HasPrefix(err.Error(), "decoding nix path-info output: ") {
				t.Errorf("error %q does not say what was decoded", err)
			}
			return
		}
		for i, info := range infos {
			if i > 0 && infos[i-1].Path >= info.Path {
				t.Errorf("paths not sorted and unique: %q then %q", infos[i-1].Path, info.Path)
			}
			if err := checkStorePath(info.Path); err != nil {
				t.Errorf("Path: %v", err)
			}
			storeDir := path.Dir(info.Path)
			if path.Dir(infos[0].Path) != storeDir {
				t.Errorf("paths in two store directories: %q and %q", infos[0].Path, info.Path)
			}
			if !slices.IsSorted(info.References) || len(slices.Compact(slices.Clone(info.References))) != len(info.References) {
				t.Errorf("references of %s not sorted and unique: %q", info.Path, info.References)
			}
			for _, r := range info.References {
				if err := checkStorePath(r); err != nil || path.Dir(r) != storeDir {
					t.Errorf("reference %q of %s is not a full path in %s (%v)", r, info.Path, storeDir, err)
				}
			}
			if info.Deriver != "" {
				if err := checkStorePath(info.Deriver); err != nil || path.Dir(info.Deriver) != storeDir {
					t.Errorf("deriver %q of %s is not a full path in %s (%v)", info.Deriver, info.Path, storeDir, err)
				}
			}
			if sri, err := ToSRI(info.NarHash); err != nil || sri != info.NarHash || strings.Contains(info.NarHash, ":") {
				t.Errorf("narHash %q of %s is not canonical SRI (%v)", info.NarHash, info.Path, err)
			}
			if info.NarSize < 0 {
				t.Errorf("narSize %d of %s is negative", info.NarSize, info.Path)
			}
		}

		// The result decodes to itself in the Nix 2.8 format.
		again, err := json.Marshal(infos)
		if err != nil {
			t.Fatal(err)
		}
		infos2, err := DecodePathInfo(again)
		if err != nil {
			t.Fatalf("decoding re-encoded %s: %v", again, err)
		}
		if diff := cmp.Diff(infos, infos2); diff != "" {
			t.Errorf("re-decoded differs (-first +second):\n%s", diff)
		}

		// Building a closure may fail but must not panic.
		if c, err := NewClosure(infos); err == nil && len(c.TopoSort()) != len(infos) {
			t.Errorf("TopoSort has %d paths, want %d", len(c.TopoSort()), len(infos))
		}
	})
}
