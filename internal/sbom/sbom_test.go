package sbom

import (
	"bytes"
	"encoding/json"
	"flag"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	cdx "github.com/CycloneDX/cyclonedx-go"
	"github.com/google/go-cmp/cmp"
	"github.com/santhosh-tekuri/jsonschema/v6"

	"github.com/nixlayer/nixlayer/internal/flake"
	"github.com/nixlayer/nixlayer/internal/nix"
)

var update = flag.Bool("update", false, "rewrite golden files")

// The real Nix 2.8 capture of internal/nix: app refers to zlib, which
// carries a CVE patch. Its src is given the shape nixpkgs' zlib has (a
// fetchurl of the GitHub release asset and of zlib.net, see fixture).
const (
	appPath  = "/nix/store/2b40ds2jz5kn4rmjlnnxap2937fcypl0-app-2.0"
	zlibPath = "/nix/store/x2r2y6j7vg8qbdwi6iwv34n1611aisj3-zlib-1.3.1"
)

func readNixTestdata(t *testing.T, name string) []byte {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("..", "nix", "testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	return data
}

// fixture returns the closure, derivations and a plan for app.
func fixture(t *testing.T) (*nix.Closure, map[string]nix.Derivation, *flake.Plan) {
	t.Helper()
	infos, err := nix.DecodePathInfo(readNixTestdata(t, "derivation-closure-nix2.8.json"))
	if err != nil {
		t.Fatal(err)
	}
	c, err := nix.NewClosure(infos)
	if err != nil {
		t.Fatal(err)
	}
	drvs, err := nix.DecodeDerivations(readNixTestdata(t, "derivation-nix2.8.json"))
	if err != nil {
		t.Fatal(err)
	}
	// The capture's source is a plain derivation; nixpkgs' zlib fetches
	// with fetchurl, whose fixed-output derivation keeps urls (and drops
	// url), as pkgs/build-support/fetchurl/default.nix makes it.
	const srcDrv = "/nix/store/7fvczzivlsv8jgv5bd138msrzwvflxx7-source.drv"
	src := drvs[srcDrv]
	src.Env = map[string]string{"name": "zlib-1.3.1.tar.gz", "out": src.Outputs["out"], "outputHashMode": "flat",
		"outputHash": "sha256-mpOyt9/ax3zrpaVYpYDnRmfdb+3kWFuR7vtg8Dty3yM=",
		"urls":       "https://github.com/madler/zlib/releases/download/v1.3.1/zlib-1.3.1.tar.gz https://www.zlib.net/fossils/zlib-1.3.1.tar.gz"}
	drvs[srcDrv] = src
	plan := &flake.Plan{System: "x86_64-linux", Packages: []flake.Package{{
		Attr: "app", Origin: "base", Name: "app-2.0", OutPath: appPath, Pname: "app", Version: "2.0",
		Src:      &flake.Source{URL: "https://github.com/acme/app/archive/v2.0.tar.gz", Owner: "acme", Repo: "app", Rev: "v2.0", Tag: "v2.0"},
		Patches:  []flake.Patch{},
		Licenses: []string{"MIT", "acme-proprietary"},
		Identifiers: json.RawMessage(`{"cpe": "cpe:2.3:a:acme:app:2.0:*:*:*:*:*:*:*", "possibleCPEs": [],
			"purl": "pkg:generic/app@2.0", "cpeParts": {"vendor": "acme"}}`),
	}}}
	return c, drvs, plan
}

var meta = Meta{Kind: "runtime", Sets: []string{"base", "python"}, System: "x86_64-linux",
	Nixpkgs: "github:NixOS/nixpkgs/74cc63f702f7d60a557e152a57b40fb1fd0f72ac", Epoch: time.Unix(1783549019, 0)}

func newDoc(t *testing.T) *Document {
	t.Helper()
	c, drvs, plan := fixture(t)
	doc, err := New(meta, c, drvs, plan)
	if err != nil {
		t.Fatal(err)
	}
	return doc
}

func encodeDoc(t *testing.T, doc *Document) []byte {
	t.Helper()
	data, err := doc.Encode()
	if err != nil {
		t.Fatal(err)
	}
	return data
}

func TestGolden(t *testing.T) {
	data := encodeDoc(t, newDoc(t))
	file := filepath.Join("testdata", "sbom.golden.cdx.json")
	if *update {
		if err := os.WriteFile(file, data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(file)
	if err != nil {
		t.Fatalf("%v (run with -update to create it)", err)
	}
	if diff := cmp.Diff(string(want), string(data)); diff != "" {
		t.Errorf("SBOM differs from %s (-want +got):\n%s", file, diff)
	}
}

func TestFacts(t *testing.T) {
	doc := newDoc(t)
	want := []Component{
		{Path: appPath, Name: "app", Version: "2.0", NarHash: "sha256-p2ze7Gms+46CPAFi3/xBjpYybAlMpX3pVscXnzMyIyM=",
			Attrs:  []string{"app"},
			Source: &nix.Source{URLs: []string{"https://github.com/acme/app/archive/v2.0.tar.gz"}, Repository: "https://github.com/acme/app", Tag: "v2.0"},
			CPE:    "cpe:2.3:a:acme:app:2.0:*:*:*:*:*:*:*", PURL: "pkg:generic/app@2.0",
			Licenses:  []string{"MIT", "acme-proprietary"},
			DependsOn: []string{zlibPath}},
		{Path: zlibPath, Name: "zlib", Version: "1.3.1", NarHash: "sha256-BV57U6asRxLqesR38ZADrAzoosvGD9TXO3YU3XqcMr0=",
			Source: &nix.Source{Path: "/nix/store/zc1fxbr1cb1slfm3y65agq6alpp6i18m-source",
				URLs:       []string{"https://github.com/madler/zlib/releases/download/v1.3.1/zlib-1.3.1.tar.gz", "https://www.zlib.net/fossils/zlib-1.3.1.tar.gz"},
				Repository: "https://github.com/madler/zlib", Tag: "v1.3.1", Fetcher: "fetchurl", Rule: "GitHub release asset"},
			Patches: []nix.Patch{{Path: "/nix/store/pi5zdf5p2bdi5hpzn76hxjrjzc1wqd2l-CVE-2023-45853.patch", Name: "CVE-2023-45853.patch", CVEs: []string{"CVE-2023-45853"}}}},
	}
	if diff := cmp.Diff(want, doc.Components); diff != "" {
		t.Errorf("components (-want +got):\n%s", diff)
	}
}

// TestSchema validates the SBOM against the CycloneDX 1.6 JSON schema.
func TestSchema(t *testing.T) {
	validate(t, encodeDoc(t, newDoc(t)))
	// A fallback component and a licence that is a name validate too.
	doc := newDoc(t)
	doc.Components = append(doc.Components, Component{Path: "/nix/store/hadd2kwvaik7qmb77gf5f0anf4yzi7xs-fix.patch",
		Name: "fix.patch", Fallback: true, Licenses: []string{"unfree"}, Patches: []nix.Patch{{Name: "x.patch"}}})
	validate(t, encodeDoc(t, doc))
}

// validate checks data against the CycloneDX 1.6 JSON schema, which the
// module cyclonedx-go ships (with the signature schema it refers to, whose
// file the module names jsf-0.82.schemax.json); the SPDX list is the
// package's own copy of the module's.
func validate(t *testing.T, data []byte) {
	t.Helper()
	out, err := exec.Command("go", "list", "-m", "-f", "{{.Dir}}", "github.com/CycloneDX/cyclonedx-go").Output()
	if err != nil {
		t.Fatalf("finding the module cyclonedx-go: %v", err)
	}
	dir := filepath.Join(strings.TrimSpace(string(out)), "schema")
	c := jsonschema.NewCompiler()
	for name, f := range map[string]string{
		"bom-1.6.schema.json":  filepath.Join(dir, "bom-1.6.schema.json"),
		"jsf-0.82.schema.json": filepath.Join(dir, "jsf-0.82.schemax.json"),
		"spdx.schema.json":     "schema/spdx.schema.json",
	} {
		raw, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		doc, err := jsonschema.UnmarshalJSON(bytes.NewReader(raw))
		if err != nil {
			t.Fatalf("%s: %v", f, err)
		}
		if err := c.AddResource("http://cyclonedx.org/schema/"+name, doc); err != nil {
			t.Fatal(err)
		}
	}
	sch, err := c.Compile("http://cyclonedx.org/schema/bom-1.6.schema.json")
	if err != nil {
		t.Fatal(err)
	}
	inst, err := jsonschema.UnmarshalJSON(bytes.NewReader(data))
	if err != nil {
		t.Fatal(err)
	}
	if err := sch.Validate(inst); err != nil {
		t.Errorf("the SBOM does not validate against CycloneDX 1.6: %v", err)
	}
}

// TestRoundTrip decodes the SBOM with cyclonedx-go and with Decode.
func TestRoundTrip(t *testing.T) {
	doc := newDoc(t)
	data := encodeDoc(t, doc)
	var bom cdx.BOM
	if err := cdx.NewBOMDecoder(bytes.NewReader(data), cdx.BOMFileFormatJSON).Decode(&bom); err != nil {
		t.Fatal(err)
	}
	var again bytes.Buffer
	if err := cdx.NewBOMEncoder(&again, cdx.BOMFileFormatJSON).SetPretty(true).SetEscapeHTML(false).EncodeVersion(&bom, cdx.SpecVersion1_6); err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(string(data), again.String()); diff != "" {
		t.Errorf("cyclonedx-go's round trip changed the SBOM (-ours +cyclonedx-go):\n%s", diff)
	}
	got, err := Decode(data)
	if err != nil {
		t.Fatal(err)
	}
	want := *doc
	want.Meta.Epoch = want.Meta.Epoch.UTC()
	if diff := cmp.Diff(&want, got); diff != "" {
		t.Errorf("Decode(Encode(doc)) (-want +got):\n%s", diff)
	}
	if !strings.HasPrefix(bom.SerialNumber, "urn:uuid:") || bom.Metadata.Timestamp != "2026-07-08T22:16:59Z" {
		t.Errorf("serialNumber %q, timestamp %q", bom.SerialNumber, bom.Metadata.Timestamp)
	}
}

// TestDeterministic checks that the bytes depend on the content alone: not
// on the order of the inputs, nor on the run.
func TestDeterministic(t *testing.T) {
	first := encodeDoc(t, newDoc(t))
	if again := encodeDoc(t, newDoc(t)); !bytes.Equal(first, again) {
		t.Fatal("two encodings of the same input differ")
	}
	infos, err := nix.DecodePathInfo(readNixTestdata(t, "derivation-closure-nix2.8.json"))
	if err != nil {
		t.Fatal(err)
	}
	_, drvs, plan := fixture(t)
	for i := range 5 {
		rand.Shuffle(len(infos), func(a, b int) { infos[a], infos[b] = infos[b], infos[a] })
		c, err := nix.NewClosure(infos)
		if err != nil {
			t.Fatal(err)
		}
		doc, err := New(meta, c, drvs, plan)
		if err != nil {
			t.Fatal(err)
		}
		if got := encodeDoc(t, doc); !bytes.Equal(first, got) {
			t.Fatalf("shuffle %d: the SBOM changed with the input order", i)
		}
	}
	// Other content gives another serial number.
	other := newDoc(t)
	other.Meta.Sets = []string{"base"}
	if serial(t, encodeDoc(t, other)) == serial(t, first) {
		t.Error("two different SBOMs have the same serial number")
	}
}

func serial(t *testing.T, data []byte) string {
	t.Helper()
	var s struct {
		SerialNumber string `json:"serialNumber"`
	}
	if err := json.Unmarshal(data, &s); err != nil {
		t.Fatal(err)
	}
	return s.SerialNumber
}

func TestNewErrors(t *testing.T) {
	c, drvs, plan := fixture(t)
	if _, err := New(Meta{Kind: "runtime"}, c, drvs, plan); err == nil || !strings.Contains(err.Error(), "no image time") {
		t.Errorf("New without an epoch: %v", err)
	}
	if _, err := New(meta, nil, drvs, plan); err == nil {
		t.Error("New without a closure succeeded")
	}
	plan.Packages[0].Identifiers = json.RawMessage(`[1]`)
	if _, err := New(meta, c, drvs, plan); err == nil || !strings.Contains(err.Error(), "app: meta.identifiers") {
		t.Errorf("New with bad identifiers: %v", err)
	}
	// Without a plan or derivations, every path still has a component.
	doc, err := New(meta, c, nil, nil)
	if err != nil || len(doc.Components) != 2 || !doc.Components[0].Fallback || doc.Components[0].Name != "app" {
		t.Errorf("New without derivations: %+v, %v", doc, err)
	}
}

func TestDecodeErrors(t *testing.T) {
	good := string(encodeDoc(t, newDoc(t)))
	tests := []struct{ name, in, want string }{
		{"empty", "", "want a CycloneDX JSON object"},
		{"not json", "hello", "want a CycloneDX JSON object"},
		{"truncated", good[:len(good)/2], "unexpected end of JSON input"},
		{"not cyclonedx", `{"spdxVersion": "SPDX-2.3"}`, `bomFormat is ""`},
		{"not nixlayer's", `{"bomFormat": "CycloneDX", "specVersion": "1.6", "metadata": {}}`, "no image in the metadata"},
		{"bad bom-ref", strings.Replace(good, `"bom-ref": "`+zlibPath, `"bom-ref": "zlib`, 1), `bom-ref "zlib" is not a store path`},
		{"twice", strings.Replace(good, `"bom-ref": "`+appPath, `"bom-ref": "`+zlibPath, 1), "listed twice"},
		{"bad timestamp", strings.Replace(good, "2026-07-08T22:16:59Z", "yesterday", 1), "metadata timestamp"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Decode([]byte(tt.in))
			if err == nil || !strings.HasPrefix(err.Error(), "decoding the SBOM: ") || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("Decode: %v, want an error containing %q", err, tt.want)
			}
		})
	}
}

func TestDigest(t *testing.T) {
	if got := Digest([]byte("")); got != "sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855" {
		t.Errorf("Digest of nothing = %s", got)
	}
}

func TestSPDXList(t *testing.T) {
	ids := spdxIDs()
	if len(ids) < 400 || !ids["MIT"] || !ids["Zlib"] || ids["unfree"] {
		t.Errorf("the embedded SPDX list has %d identifiers", len(ids))
	}
}
