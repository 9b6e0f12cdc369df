// Package clispec names the commands and flags of nixlayer's command line
// that two programs share: cmd/nixlayer defines its cobra commands and
// flags by these names, and the Dagger module writes the command lines of
// its helper (which is cmd/nixlayer, run in the Nix container, see
// internal/container) with them, so that a flag is spelt in one place.
//
//	fl.StringVar(&spec, clispec.FlagSets, "", "comma-separated sets")   // the CLI
//	args := []string{clispec.CommandClosure, clispec.Arg(clispec.FlagSets, "base")} // the module
//
// Only the commands and flags that the module passes are here; the CLI's
// others are spelt where it defines them. cmd/nixlayer's tests parse every
// command line the module plans with the CLI's own command tree.
package clispec
