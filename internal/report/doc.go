// Package report renders what nixlayer prints: the set catalog and a
// closure, as text for people and as JSON for programs. The CLI and the
// Dagger module print the same reports.
//
//	$ nixlayer closure --sets base
//	   1.3 MiB  /nix/store/390s3x…-bash-5.2.15
//	  12.1 MiB  /nix/store/lr4fn7…-glibc-2.36
//	  …
//	23 paths, 44.6 MiB
//
// Paths are sorted by store path (so by hash, as nix path-info sorts them),
// so two runs on the same lock print the same report.
package report
