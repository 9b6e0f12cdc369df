package pipeline

import (
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-containerregistry/pkg/v1/validate"

	"github.com/nixlayer/nixlayer/internal/image"
)

// TestRecordHit checks that a build records what Nix said of its inputs,
// and that a rebuild with the same inputs asks Nix only whether the
// store still holds what the record names, and makes the same image from
// what the record says.
func TestRecordHit(t *testing.T) {
	f := newFake(t)
	first, calls := f.build(t)
	if !evaluated(calls) || !slices.Contains(calls, "build") || first.CatalogRecorded {
		t.Fatalf("the first build called nix %v (catalog recorded: %v), want an evaluation and a build", calls, first.CatalogRecorded)
	}
	r := f.record(t)
	if diff := cmp.Diff(first.Plan, r.Plan); diff != "" {
		t.Errorf("the recorded plan (-built +recorded):\n%s", diff)
	}
	if len(r.Facts) != first.Closure.Len() || r.CatalogPlan == nil || r.Pin.Rev == "" {
		t.Errorf("the record has %d facts for %d paths, catalog plan %v, pin %+v", len(r.Facts), first.Closure.Len(), r.CatalogPlan != nil, r.Pin)
	}

	again, calls := f.build(t)
	if !slices.Equal(calls, []string{"path-info"}) {
		t.Errorf("a rebuild with the same inputs called nix %v, want path-info alone", calls)
	}
	if again.Digest != first.Digest || !again.CatalogRecorded {
		t.Errorf("the recorded rebuild gave %s (catalog recorded: %v), the first build %s", again.Digest, again.CatalogRecorded, first.Digest)
	}
	if diff := cmp.Diff(first.Closure.Paths(), again.Closure.Paths()); diff != "" {
		t.Errorf("the recorded rebuild's closure (-first +again):\n%s", diff)
	}

	f.misrecord(t)
	trusted, calls := f.build(t)
	if !slices.Equal(calls, []string{"path-info"}) || trusted.Digest == first.Digest {
		t.Errorf("with a record that says another version, nix was called for %v and the image is %s; want path-info alone, and another SBOM", calls, trusted.Digest)
	}
}

// TestRecordMiss checks that a build whose inputs differ from the
// record's evaluates again, and that a lenient catalog neither reads nor
// writes records.
func TestRecordMiss(t *testing.T) {
	for _, tc := range []struct {
		name    string
		change  func(*Image)
		records int // after the second build
	}{
		{"the time", func(im *Image) { im.Epoch = 1700000000 }, 2},
		{"the packages", func(im *Image) { im.Request.Attrs = append(slices.Clone(im.Request.Attrs), im.Request.Attrs[0]) }, 2},
		{"a lenient catalog", func(im *Image) { im.LenientCatalog = true }, 1},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f := newFake(t)
			f.build(t)
			tc.change(&f.im)
			_, calls := f.build(t)
			if !evaluated(calls) {
				t.Errorf("after changing %s, nix was called for %v, want an evaluation", tc.name, calls)
			}
			if got := f.records(t); len(got) != tc.records {
				t.Errorf("records %v, want %d", got, tc.records)
			}
		})
	}
}

// TestRecordRefresh checks that --refresh asks Nix whatever a sound
// record says, and records the answer anew, which later builds then
// trust.
func TestRecordRefresh(t *testing.T) {
	f := newFake(t)
	first, _ := f.build(t)
	sound := f.misrecord(t)

	f.im.Reevaluate = true
	refreshed, calls := f.build(t)
	if !evaluated(calls) || refreshed.Digest != first.Digest {
		t.Errorf("--refresh called nix %v and gave %s, want an evaluation and %s", calls, refreshed.Digest, first.Digest)
	}
	if diff := cmp.Diff(sound, f.record(t)); diff != "" {
		t.Errorf("the record after --refresh (-Nix's answer +recorded):\n%s", diff)
	}
	f.im.Reevaluate = false
	if again, calls := f.build(t); !slices.Equal(calls, []string{"path-info"}) || again.Digest != first.Digest {
		t.Errorf("after --refresh, a build called nix %v and gave %s, want path-info alone and %s", calls, again.Digest, first.Digest)
	}
}

// TestRecordDrop checks that a record whose store paths the store lost
// (a garbage collection) is dropped, and that Nix then evaluates and
// builds again: the store's answer, not the record, is trusted.
func TestRecordDrop(t *testing.T) {
	f := newFake(t)
	first, _ := f.build(t)
	f.nix.Lose(f.libc)

	// With the build refused, the record is gone all the same.
	f.nix.Refuse("build")
	if _, err := f.try(t); err == nil || !strings.Contains(err.Error(), "refused by the test") {
		t.Fatalf("a build without the store's paths, and without nix build: %v", err)
	}
	if calls := f.nix.Calls(); len(calls) < 2 || calls[0] != "path-info" || !slices.Contains(calls, "eval") {
		t.Errorf("nix was called for %v, want path-info, then an evaluation", calls)
	}
	if got := f.records(t); len(got) != 0 {
		t.Errorf("the record of paths the store lost is still there: %v", got)
	}

	f.nix.Refuse()
	again, calls := f.build(t)
	if !evaluated(calls) || !slices.Contains(calls, "build") {
		t.Errorf("nix was called for %v, want an evaluation and a build", calls)
	}
	if again.Digest != first.Digest {
		t.Errorf("the build after the loss gave %s, the first %s", again.Digest, first.Digest)
	}
	f.record(t)
}

// TestRecordDamaged checks that a damaged record, of the evaluation or of
// the catalog, is not trusted: the build evaluates again, makes the same
// image, and leaves a sound record.
func TestRecordDamaged(t *testing.T) {
	rewrite := func(edit func(map[string]any)) func(t *testing.T, f *fake) {
		return func(t *testing.T, f *fake) {
			file := f.records(t)[0]
			var r map[string]any
			data, err := os.ReadFile(file)
			if err == nil {
				err = json.Unmarshal(data, &r)
			}
			if err != nil {
				t.Fatal(err)
			}
			edit(r)
			if data, err = json.Marshal(r); err == nil {
				err = os.WriteFile(file, data, 0o644)
			}
			if err != nil {
				t.Fatal(err)
			}
		}
	}
	for _, tc := range []struct {
		name   string
		damage func(t *testing.T, f *fake)
	}{
		{"not JSON", func(t *testing.T, f *fake) { writeFile(t, f.records(t)[0], "{\"pin\":") }},
		{"empty", func(t *testing.T, f *fake) { writeFile(t, f.records(t)[0], "") }},
		{"no plan", rewrite(func(r map[string]any) { delete(r, "plan") })},
		{"no catalog plan", rewrite(func(r map[string]any) { delete(r, "catalogPlan") })},
		{"no facts", rewrite(func(r map[string]any) { r["facts"] = []any{} })},
		{"no packages", rewrite(func(r map[string]any) { r["plan"].(map[string]any)["packages"] = []any{} })},
		{"the catalog's record", func(t *testing.T, f *fake) {
			files, err := filepath.Glob(filepath.Join(f.cache.Catalogs(), "*.json"))
			if err != nil || len(files) != 1 {
				t.Fatalf("recorded catalogs %v, %v", files, err)
			}
			writeFile(t, files[0], "[")
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f := newFake(t)
			first, _ := f.build(t)
			tc.damage(t, f)
			again, calls := f.build(t)
			if !evaluated(calls) {
				t.Errorf("with a damaged record, nix was called for %v, want an evaluation", calls)
			}
			if again.Digest != first.Digest {
				t.Errorf("with a damaged record: %s, the first build %s", again.Digest, first.Digest)
			}
			f.record(t)
			if _, calls := f.build(t); !slices.Equal(calls, []string{"path-info"}) {
				t.Errorf("after the record was made again, a rebuild called nix %v", calls)
			}
		})
	}
}

// TestReassemble checks that Write, finding a store path of the blob
// cache damaged while it writes the image (a disk error, say), compresses
// it again from the store and writes the same image, whole; and that when
// the store lost the path too, it fails rather than write another image.
func TestReassemble(t *testing.T) {
	f := newFake(t)
	b, _ := f.build(t)
	damage := func() {
		t.Helper()
		entries, err := filepath.Glob(filepath.Join(f.cache.Blobs(), "paths", "*.gz"))
		if err != nil || len(entries) == 0 {
			t.Fatalf("the blob cache's store paths: %v, %v", entries, err)
		}
		data, err := os.ReadFile(entries[0])
		if err != nil {
			t.Fatal(err)
		}
		data[len(data)/2] ^= 0xff
		writeFile(t, entries[0], string(data))
	}
	damage()
	var progress strings.Builder
	dir := filepath.Join(t.TempDir(), "layout")
	if err := Write(t.Context(), []*Built{b}, Outputs{Layout: dir, Tag: "nixlayer-test:latest"}, &progress); err != nil {
		t.Fatalf("writing with a damaged blob cache: %v\n%s", err, progress.String())
	}
	if !strings.Contains(progress.String(), "compressing again") {
		t.Errorf("the progress does not say the damaged paths were compressed again:\n%s", progress.String())
	}
	imgs, err := image.ReadLayout(dir)
	if err != nil || len(imgs) != 1 {
		t.Fatalf("the layout: %v, %v", imgs, err)
	}
	if d, err := imgs[0].Digest(); err != nil || d.String() != b.Digest {
		t.Errorf("the layout holds %v (%v), the build made %s", d, err, b.Digest)
	}
	if err := validate.Image(imgs[0]); err != nil {
		t.Errorf("the written image: %v", err)
	}

	damage()
	f.nix.Lose(f.libc)
	if err := Write(t.Context(), []*Built{b}, Outputs{Layout: filepath.Join(t.TempDir(), "layout")}, nil); err == nil {
		t.Error("a damaged blob cache whose paths the store lost too gave an image")
	}
}

func writeFile(t *testing.T, file, data string) {
	t.Helper()
	if err := os.WriteFile(file, []byte(data), 0o644); err != nil {
		t.Fatal(err)
	}
}
