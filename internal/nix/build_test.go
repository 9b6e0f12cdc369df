package nix

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

const (
	helloDrv = "/nix/store/yp5iaah1ximzzfrw84r2dmmkva4w2mp6-hello.drv"
	helloOut = "/nix/store/hadd2kwvaik7qmb77gf5f0anf4yzi7xs-hello"
	appOut   = "/nix/store/290rncx3gjw0mz8q66xqigk3f018iasd-app"
)

func TestDecodeBuild(t *testing.T) {
	tests := []struct {
		name, in string
		want     []BuildResult
	}{
		// Real Nix 2.8 output.
		{"nix 2.8", `[{"drvPath":"` + helloDrv + `","outputs":{"out":"` + helloOut + `"}}]` + "\n",
			[]BuildResult{{DrvPath: helloDrv, Outputs: map[string]string{"out": helloOut}}}},
		{"empty", `[]`, []BuildResult{}},
		{"several outputs and timings", `[{"drvPath":"` + helloDrv + `","outputs":{"out":"` + helloOut + `","dev":"` + appOut + `"},
			"startTime":1700000000,"stopTime":1700000001,"cpuUser":0.5}]`,
			[]BuildResult{{DrvPath: helloDrv, Outputs: map[string]string{"out": helloOut, "dev": appOut}}}},
		// Real Nix 2.8 output for an installable that is a store path.
		{"opaque path, nix 2.8", `[{"path":"` + helloOut + `"}]`, []BuildResult{{Path: helloOut}}},
		{"opaque path, newer nix", `["` + helloOut + `"]`, []BuildResult{{Path: helloOut}}},
		{"dynamic derivation", `[{"drvPath":{"drvPath":"` + helloDrv + `","output":"out","outputPath":"` + helloDrv + `"},"outputs":{"out":"` + helloOut + `"}}]`,
			[]BuildResult{{DrvPath: helloDrv, Outputs: map[string]string{"out": helloOut}}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := DecodeBuild([]byte(tt.in))
			if err != nil {
				t.Fatal(err)
			}
			if diff := cmp.Diff(tt.want, got); diff != "" {
				t.Errorf("(-want +got):\n%s", diff)
			}
		})
	}
}

func TestDecodeBuildErrors(t *testing.T) {
	tests := []struct{ name, in, want string }{
		{"empty", ``, "want a JSON array"},
		{"object", `{}`, "want a JSON array"},
		{"malformed", `[{"drvPath":`, "unexpected end"},
		{"neither drvPath nor path", `[{}]`, `entry 0: want "drvPath" or "path"`},
		{"no outputs", `[{"drvPath":"` + helloDrv + `","outputs":{}}]`, "no outputs"},
		{"bad output path", `[{"drvPath":"` + helloDrv + `","outputs":{"out":"/tmp/out"}}]`, `output out: "/tmp/out" is not a store path`},
		{"empty output name", `[{"drvPath":"` + helloDrv + `","outputs":{"":"` + helloOut + `"}}]`, "empty output name"},
		{"bad drvPath", `[{"drvPath":"hello.drv","outputs":{"out":"` + helloOut + `"}}]`, "drvPath"},
		{"bad dynamic drvPath", `[{"drvPath":{"output":"out"},"outputs":{"out":"` + helloOut + `"}}]`, `object with "outputPath"`},
		{"bad opaque path", `["/nix/store/x"]`, "not a store path"},
		{"number", `[1]`, "cannot unmarshal number"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := DecodeBuild([]byte(tt.in))
			if err == nil {
				t.Fatalf("DecodeBuild = %+v, want error containing %q", got, tt.want)
			}
			if msg := err.Error(); !strings.HasPrefix(msg, "decoding nix build output: ") || !strings.Contains(msg, tt.want) {
				t.Errorf("error %q, want %q", msg, tt.want)
			}
		})
	}
}

func TestBuildResultPaths(t *testing.T) {
	r := BuildResult{DrvPath: helloDrv, Outputs: map[string]string{"out": helloOut, "dev": appOut}}
	if diff := cmp.Diff([]string{appOut, helloOut}, r.Paths()); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
	if diff := cmp.Diff([]string{helloOut}, BuildResult{Path: helloOut}.Paths()); diff != "" {
		t.Errorf("(-want +got):\n%s", diff)
	}
}
