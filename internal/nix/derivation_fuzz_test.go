package nix

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func FuzzDecodeDerivations(f *testing.F) {
	files, err := filepath.Glob("testdata/derivation-nix*.json")
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
	f.Add([]byte(`{"version": 4, "derivations": {"` + hashA + `-a.drv": {"name": "a", "outputs": {"out": {}}, "env": {"out": "/nix/store/` + hashB + `-a"}}}}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		drvs, err := DecodeDerivations(data)
		if err != nil {
			if !strings.HasPrefix(err.Error(), "decoding nix derivation show output: ") {
				t.Errorf("error %q does not say what was decoded", err)
			}
			return
		}
		for key, d := range drvs {
			if key != d.Path || !strings.HasSuffix(d.Path, ".drv") || checkStorePath(d.Path) != nil {
				t.Errorf("derivation keyed %q has path %q", key, d.Path)
			}
			if d.Name == "" || len(d.Outputs) == 0 {
				t.Errorf("%s: name %q, %d outputs", d.Path, d.Name, len(d.Outputs))
			}
			for _, p := range d.Outputs {
				if checkStorePath(p) != nil {
					t.Errorf("%s: output %q is not a store path", d.Path, p)
				}
			}
		}
	})
}
