package github_test

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"

	"github.com/nixlayer/nixlayer/internal/github"
)

func Example() {
	// A stand-in for api.github.com.
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprint(w, `[
		  {"ref": "refs/heads/nixos-26.05-small"},
		  {"ref": "refs/heads/nixos-26.11"},
		  {"ref": "refs/heads/nixos-26.11-small"},
		  {"ref": "refs/heads/nixos-unstable-small"}
		]`)
	}))
	defer srv.Close()

	c := &github.Client{BaseURL: srv.URL} // and Token: os.Getenv("GITHUB_TOKEN")
	branches, err := c.ReleaseBranches(context.Background(), "NixOS/nixpkgs")
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(branches)
	fmt.Println(github.Newest("nixos-26.05-small", branches))
	// Output:
	// [nixos-26.05-small nixos-26.11-small]
	// nixos-26.11-small true
}
