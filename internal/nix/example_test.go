package nix_test

import (
	"fmt"
	"log"

	"github.com/nixlayer/nixlayer/internal/nix"
)

func ExampleDecodePathInfo() {
	// What Nix 2.33 prints for "nix path-info --json --json-format 2":
	// base names, and an envelope naming the store directory.
	out := []byte(`{"version": 2, "storeDir": "/nix/store", "info": {
	  "290rncx3gjw0mz8q66xqigk3f018iasd-app": {"narHash": "sha256-fz3UP+jsY6hOjsucoAcbHA64Z6MOM2yt9Fk3nZfB8l4=",
	    "narSize": 336, "references": ["hadd2kwvaik7qmb77gf5f0anf4yzi7xs-hello"]},
	  "hadd2kwvaik7qmb77gf5f0anf4yzi7xs-hello": {"narHash": "sha256-MyEwKR7frLkJXyCTAYmhACAemt2h4EszAo04ltEu78o=",
	    "narSize": 288, "references": []}}}`)
	infos, err := nix.DecodePathInfo(out)
	if err != nil {
		log.Fatal(err)
	}
	for _, info := range infos {
		fmt.Println(info.Path, info.NarHash, info.NarSize, info.References)
	}
	// Output:
	// /nix/store/290rncx3gjw0mz8q66xqigk3f018iasd-app sha256-fz3UP+jsY6hOjsucoAcbHA64Z6MOM2yt9Fk3nZfB8l4= 336 [/nix/store/hadd2kwvaik7qmb77gf5f0anf4yzi7xs-hello]
	// /nix/store/hadd2kwvaik7qmb77gf5f0anf4yzi7xs-hello sha256-MyEwKR7frLkJXyCTAYmhACAemt2h4EszAo04ltEu78o= 288 []
}

func ExampleClosure_TopoSort() {
	infos := []nix.PathInfo{
		{Path: "/nix/store/00000000000000000000000000000000-app", References: []string{
			"/nix/store/00000000000000000000000000000000-libc",
			"/nix/store/00000000000000000000000000000000-zlib"}},
		{Path: "/nix/store/00000000000000000000000000000000-zlib", References: []string{
			"/nix/store/00000000000000000000000000000000-libc"}},
		{Path: "/nix/store/00000000000000000000000000000000-libc"},
	}
	c, err := nix.NewClosure(infos)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(c.TopoSort())
	fmt.Println(c.Roots())
	// Output:
	// [/nix/store/00000000000000000000000000000000-libc /nix/store/00000000000000000000000000000000-zlib /nix/store/00000000000000000000000000000000-app]
	// [/nix/store/00000000000000000000000000000000-app]
}

func ExampleToSRI() {
	sri, err := nix.ToSRI("sha256:0ppjq6brsdsryjnnqcqfldkvh3hw3c3s176bir7ahqzcx0zx8gbz")
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(sri)
	// Output: sha256-fz3UP+jsY6hOjsucoAcbHA64Z6MOM2yt9Fk3nZfB8l4=
}
