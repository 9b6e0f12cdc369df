package containertest

import (
	"testing"

	"github.com/nixlayer/nixlayer/internal/container"
	"github.com/nixlayer/nixlayer/internal/kind"
	"github.com/nixlayer/nixlayer/internal/platform"
	"github.com/nixlayer/nixlayer/internal/scanner"
)

// Invocations are the helper's invocations of every kind of call the
// module makes, by name: container's plan golden shows their plans, and
// cmd/nixlayer's tests parse their command lines with the CLI's own
// command tree.
func Invocations(t testing.TB) map[string]container.Invocation {
	t.Helper()
	amd64, arm64 := mustPlatform(t, "linux/amd64"), mustPlatform(t, "linux/arm64")
	return map[string]container.Invocation{
		"runtime archive": container.Build{Kind: kind.Runtime, Selection: container.Selection{Sets: []string{"base", "python"}, Platform: amd64}},
		"devcontainer layout with a project and nixpkgs": container.Build{
			Kind: kind.Devcontainer, Layout: true,
			Selection: container.Selection{
				Sets: []string{"base", "vscodeCompat", "python"}, Packages: []string{"htop", "-jq"},
				ProjectFile: "/ci/../ci/nixlayer.yaml", Overlays: []string{"ci/overlays/cve.nix", "ci/overlays/fix.nix", "ci/local.nix"},
				Nixpkgs: true, Platform: arm64,
			},
		},
		"closure":      container.Closure{Selection: container.Selection{Sets: []string{"base", "python"}, ProjectFile: "nixlayer.yaml", Platform: amd64}},
		"closure JSON": container.Closure{Selection: container.Selection{Sets: []string{"base"}, Packages: []string{"htop"}, Platform: amd64}, JSON: true},
		"inventory":    container.Inventory{Selection: container.Selection{Sets: []string{"base"}, Platform: arm64}},
		"index":        container.Index{Platform: amd64, Layouts: 2},
		"publish with a login": container.Publish{Platform: amd64, Layouts: 2,
			Address: "ghcr.io/acme/app/runtime:2026-12-01", Tags: []string{"latest"}, Username: "octocat"},
		"publish":        container.Publish{Platform: arm64, Layouts: 1, Address: "localhost:5000/app:1"},
		"update-nixpkgs": container.Update{Platform: amd64},
		"update-nixpkgs with a release bump and a token": container.Update{Platform: arm64, BumpRelease: true, GitHubToken: true},
		"update-nixpkgs to a commit":                     container.Update{Platform: amd64, To: "74cc63f702f7d60a557e152a57b40fb1fd0f72ac"},
		"update-nixpkgs scanning, downloading":           container.Update{Platform: amd64, Scan: true},
		"update-nixpkgs scanning a database, gated":      container.Update{Platform: amd64, Scan: true, ScanDatabase: true, FailIfNewVulns: true, FailOn: scanner.Critical},
		"devcontainer archive on a base image": container.Build{Kind: kind.Devcontainer, Selection: container.Selection{Sets: []string{"base"}, Platform: amd64},
			Base: true, BaseName: "registry.example/ubuntu-fips:22.04"},
	}
}

func mustPlatform(t testing.TB, name string) platform.Platform {
	t.Helper()
	p, err := platform.Parse(name)
	if err != nil {
		t.Fatal(err)
	}
	return p
}
