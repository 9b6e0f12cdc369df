package nix

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"path"
	"slices"
	"strings"
)

// PathInfo is the metadata Nix keeps about one store path, normalised across
// Nix versions.
type PathInfo struct {
	// Path is the full store path, such as "/nix/store/<hash>-hello".
	Path string `json:"path"`
	// NarHash is the hash of the path's NAR serialisation in SRI form,
	// such as "sha256-<base64>".
	NarHash string `json:"narHash"`
	// NarSize is the size in bytes of the path's NAR serialisation.
	NarSize int64 `json:"narSize"`
	// References holds the full store paths this path refers to, sorted and
	// without duplicates. It may contain Path itself.
	References []string `json:"references"`
	// Deriver is the full store path of the derivation that built the
	// path, or "" when Nix does not know it.
	Deriver string `json:"deriver,omitempty"`
}

// invalidPath is the error of [DecodePathInfo], after the path, when Nix
// reports a path as not valid, that is, not present in the store.
const invalidPath = "path is not valid in the store"

// PathInfo runs "nix path-info --json --recursive" on the given store paths
// (or installables) and returns their closure.
//
// Pass output paths, such as [BuildResult.Paths]: given a ".drv" path, Nix
// 2.8 reports the derivation's outputs while newer Nix reports the
// derivation itself. [Driver.FlakeArgs] is not added. For other flags, run
// "path-info --json --recursive" with [Driver.Run] and decode the output with
// [DecodePathInfo] and [NewClosure].
func (d *Driver) PathInfo(ctx context.Context, paths ...string) (*Closure, error) {
	if len(paths) == 0 {
		return nil, errors.New("nix path-info: no paths given")
	}
	out, err := d.Run(ctx, PathInfoArgs(paths...)...)
	if err != nil {
		return nil, err
	}
	infos, err := DecodePathInfo(out)
	if err != nil {
		return nil, err
	}
	return NewClosure(infos)
}

// DecodePathInfo decodes the output of "nix path-info --json" from any Nix
// version and returns it sorted by path. It understands
//
//   - the array of objects with a "path" field printed by Nix up to 2.18
//     (and by Lix), with narHash in SRI or, before Nix 2.4, in
//     "sha256:<base32>" form;
//   - the object keyed by full store path printed by Nix 2.19 and later
//     (with "--json-format 1" from Nix 2.33 on);
//   - the {"version": 2 or 3, "storeDir": …, "info": {…}} envelope printed
//     with "--json-format 2" or "3" by Nix 2.33 and later, keyed by store
//     path base name, whose references and deriver are base names too, and
//     whose narHash may also be a {"algorithm", "format", "hash"} object.
//
// Every path, reference and deriver comes back as a full store path, every
// narHash in SRI form. A path that Nix reports as not valid (null, or
// "valid": false) makes DecodePathInfo fail with an error that names it
// and says it "is not valid in the store".
func DecodePathInfo(data []byte) ([]PathInfo, error) {
	infos, err := decodePathInfo(data)
	if err != nil {
		return nil, fmt.Errorf("decoding nix path-info output: %w", err)
	}
	return infos, nil
}

// pathInfoDecoder holds the state of one DecodePathInfo call.
type pathInfoDecoder struct {
	storeDir    string
	storeDirSet bool // storeDir came from the data rather than the default
}

// pathInfoEnvelope is the top level of "--json-format 2" output and later.
type pathInfoEnvelope struct {
	Version  *int                       `json:"version"`
	StoreDir string                     `json:"storeDir"`
	Info     map[string]json.RawMessage `json:"info"`
}

// rawPathInfo is one entry as any Nix version prints it.
type rawPathInfo struct {
	Path       *string         `json:"path"`
	Valid      *bool           `json:"valid"`
	StoreDir   *string         `json:"storeDir"`
	NarHash    json.RawMessage `json:"narHash"`
	NarSize    *int64          `json:"narSize"`
	References []string        `json:"references"`
	Deriver    *string         `json:"deriver"`
}

// hashObject is the structured hash of some Nix 2.33 pre-releases.
type hashObject struct {
	Algorithm string `json:"algorithm"`
	Format    string `json:"format"`
	Hash      string `json:"hash"`
}

func decodePathInfo(data []byte) ([]PathInfo, error) {
	data = bytes.TrimSpace(data)
	if len(data) == 0 {
		return nil, errors.New("empty output")
	}
	d := &pathInfoDecoder{storeDir: DefaultStoreDir}
	infos := []PathInfo{}
	switch data[0] {
	case '[':
		var entries []json.RawMessage
		if err := json.Unmarshal(data, &entries); err != nil {
			return nil, err
		}
		for i, raw := range entries {
			info, err := d.entry("", raw)
			if err != nil {
				return nil, fmt.Errorf("entry %d: %w", i, err)
			}
			infos = append(infos, info)
		}
	case '{':
		var top map[string]json.RawMessage
		if err := json.Unmarshal(data, &top); err != nil {
			return nil, err
		}
		if _, ok := top["info"]; ok {
			var env pathInfoEnvelope
			if err := json.Unmarshal(data, &env); err != nil {
				return nil, err
			}
			if env.Version == nil || *env.Version < 2 || *env.Version > 3 {
				return nil, fmt.Errorf("unsupported path-info JSON format version %s", string(top["version"]))
			}
			if err := checkStoreDir(env.StoreDir); err != nil {
				return nil, err
			}
			d.storeDir, d.storeDirSet = env.StoreDir, true
			top = env.Info
		}
		for _, key := range slices.Sorted(maps.Keys(top)) {
			info, err := d.entry(key, top[key])
			if err != nil {
				return nil, fmt.Errorf("%s: %w", key, err)
			}
			infos = append(infos, info)
		}
	default:
		return nil, fmt.Errorf("want a JSON array or object, got %.20q", data)
	}
	slices.SortFunc(infos, func(a, b PathInfo) int { return strings.Compare(a.Path, b.Path) })
	for i := 1; i < len(infos); i++ {
		if infos[i].Path == infos[i-1].Path {
			return nil, fmt.Errorf("%s: duplicate entry", infos[i].Path)
		}
	}
	return infos, nil
}

// entry decodes one entry; key is its key in an object, or "" in an array.
func (d *pathInfoDecoder) entry(key string, raw json.RawMessage) (PathInfo, error) {
	if string(raw) == "null" {
		if key == "" {
			return PathInfo{}, errors.New("entry is null")
		}
		return PathInfo{}, errors.New(invalidPath)
	}
	var r rawPathInfo
	if err := json.Unmarshal(raw, &r); err != nil {
		return PathInfo{}, err
	}
	if r.StoreDir != nil {
		if err := d.setStoreDir(*r.StoreDir); err != nil {
			return PathInfo{}, err
		}
	}
	p := key
	if p == "" {
		if r.Path == nil {
			return PathInfo{}, errors.New(`missing "path"`)
		}
		p = *r.Path
	}
	if !d.storeDirSet && strings.HasPrefix(p, "/") {
		// Formats without storeDir print full paths: the first one
		// tells the store directory.
		if dir := path.Dir(p); checkStoreDir(dir) == nil {
			d.storeDir = dir
		}
	}
	// Paths are normalised against d.storeDir from here on, so it can no
	// longer change.
	d.storeDirSet = true
	full, err := normalizeStorePath(d.storeDir, p)
	if err != nil {
		return PathInfo{}, err
	}
	if r.Valid != nil && !*r.Valid {
		return PathInfo{}, fmt.Errorf("%s: %s", full, invalidPath)
	}
	info := PathInfo{Path: full, References: []string{}}
	if info.NarHash, err = decodeNarHash(r.NarHash); err != nil {
		return PathInfo{}, err
	}
	if r.NarSize == nil {
		return PathInfo{}, errors.New(`missing "narSize"`)
	}
	if *r.NarSize < 0 {
		return PathInfo{}, fmt.Errorf("negative narSize %d", *r.NarSize)
	}
	info.NarSize = *r.NarSize
	for _, ref := range r.References {
		full, err := normalizeStorePath(d.storeDir, ref)
		if err != nil {
			return PathInfo{}, fmt.Errorf("reference: %w", err)
		}
		info.References = append(info.References, full)
	}
	slices.Sort(info.References)
	info.References = slices.Compact(info.References)
	if r.Deriver != nil && *r.Deriver != "" {
		if info.Deriver, err = normalizeStorePath(d.storeDir, *r.Deriver); err != nil {
			return PathInfo{}, fmt.Errorf("deriver: %w", err)
		}
	}
	return info, nil
}

// setStoreDir records the store directory an entry names. Every entry and
// the envelope must agree, and this is checked before any path is
// normalised against it.
func (d *pathInfoDecoder) setStoreDir(dir string) error {
	if err := checkStoreDir(dir); err != nil {
		return err
	}
	if d.storeDirSet && dir != d.storeDir {
		return fmt.Errorf("store directory %q differs from %q", dir, d.storeDir)
	}
	d.storeDir, d.storeDirSet = dir, true
	return nil
}

// decodeNarHash decodes a narHash field, a hash string or a hash object,
// into SRI form.
func decodeNarHash(raw json.RawMessage) (string, error) {
	raw = bytes.TrimSpace(raw)
	if len(raw) == 0 || string(raw) == "null" {
		return "", errors.New(`missing "narHash"`)
	}
	if raw[0] == '{' {
		var h hashObject
		if err := json.Unmarshal(raw, &h); err != nil {
			return "", fmt.Errorf("narHash: %w", err)
		}
		digest, err := decodeDigest(h.Algorithm, h.Format, h.Hash)
		if err != nil {
			return "", fmt.Errorf("narHash: %w", err)
		}
		return sriString(h.Algorithm, digest), nil
	}
	var s string
	if err := json.Unmarshal(raw, &s); err != nil {
		return "", fmt.Errorf("narHash: %w", err)
	}
	sri, err := ToSRI(s)
	if err != nil {
		return "", fmt.Errorf("narHash: %w", err)
	}
	return sri, nil
}
