package lock_test

import (
	"fmt"

	"github.com/nixlayer/nixlayer/internal/lock"
)

func Example() {
	data := []byte(`{
  "nodes": {
    "nixpkgs": {
      "locked": {
        "lastModified": 1783549019,
        "narHash": "sha256-0XnckG4ZhBmAsYa9mLuEIFowBG0fDGPLHduQGsbMS4A=",
        "owner": "NixOS",
        "repo": "nixpkgs",
        "rev": "74cc63f702f7d60a557e152a57b40fb1fd0f72ac",
        "type": "github"
      },
      "original": { "owner": "NixOS", "ref": "nixos-26.05-small", "repo": "nixpkgs", "type": "github" }
    },
    "root": { "inputs": { "nixpkgs": "nixpkgs" } }
  },
  "root": "root",
  "version": 7
}`)
	l, err := lock.Parse(data)
	if err != nil {
		fmt.Println(err)
		return
	}
	pin, err := l.Input("nixpkgs")
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Print(pin.Report())
	fmt.Println(pin.Time().Year())

	_, err = lock.Parse([]byte(`{"nodes": {}, "root": "root", "version": 5}`))
	fmt.Println(err)
	// Output:
	// type: github
	// repo: NixOS/nixpkgs
	// ref: nixos-26.05-small
	// rev: 74cc63f702f7d60a557e152a57b40fb1fd0f72ac
	// lastModified: 2026-07-08T22:16:59Z
	// narHash: sha256-0XnckG4ZhBmAsYa9mLuEIFowBG0fDGPLHduQGsbMS4A=
	// 2026
	// parsing flake.lock: version 5 is not supported (want 7)
}
