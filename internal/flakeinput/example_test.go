package flakeinput_test

import (
	"fmt"

	"github.com/nixlayer/nixlayer/internal/flakeinput"
)

func Example() {
	src := []byte(`{
  # Was "github:NixOS/nixpkgs/nixos-25.11-small".
  inputs.nixpkgs.url = "github:NixOS/nixpkgs/nixos-26.05-small";
  outputs = { self, nixpkgs }: { };
}
`)
	old, err := flakeinput.InputURL(src, "nixpkgs")
	if err != nil {
		fmt.Println(err)
		return
	}
	branch, _ := flakeinput.Ref(old)
	newURL, err := flakeinput.WithRef(old, "nixos-26.11-small")
	if err != nil {
		fmt.Println(err)
		return
	}
	out, err := flakeinput.SetInputURL(src, "nixpkgs", old, newURL)
	if err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(branch)
	fmt.Print(string(out))

	_, err = flakeinput.SetInputURL(src, "nixpkgs", "github:NixOS/nixpkgs/nixos-25.11-small", newURL)
	fmt.Println(err)
	// Output:
	// nixos-26.05-small
	// {
	//   # Was "github:NixOS/nixpkgs/nixos-25.11-small".
	//   inputs.nixpkgs.url = "github:NixOS/nixpkgs/nixos-26.11-small";
	//   outputs = { self, nixpkgs }: { };
	// }
	// setting the url of input "nixpkgs": line 3: it is "github:NixOS/nixpkgs/nixos-26.05-small", not "github:NixOS/nixpkgs/nixos-25.11-small"
}
