// Package sets defines nixlayer's package sets and composes them into the
// list of nixpkgs attributes that goes into an image.
//
// # Sets
//
// A set is a named group of nixpkgs attribute paths (such as "jq" or
// "python312Packages.pip") with a one-sentence description, plus the VS Code
// extensions and settings that suit it. nixlayer ships 17 built-in sets, in
// this canonical order:
//
//	base          bash, coreutils, findutils, grep, sed, CA certificates, tzdata
//	vscodeCompat  what the VS Code server needs: glibc, libstdc++, tar, gzip, ps, getent
//	devTools      git, curl, jq, ripgrep, fd, fzf, bat, shadow, sudo
//	nixTools      nix, direnv, nix-direnv
//	python        python312
//	pythonDev     pip, virtualenv, uv, ruff, pyright
//	node          nodejs_22
//	nodeDev       bun, typescript, prettier, eslint
//	go            go
//	goDev         gopls, golangci-lint
//	rust          rustc, cargo
//	rustDev       rust-analyzer, clippy, rustfmt
//	bash          shellcheck, shfmt, bats
//	java          temurin-jre-bin-21: a Java runtime without a compiler
//	javaDev       jdk21, maven, gradle
//	cobol         gnucobol.lib: GnuCOBOL's runtime library, libcob
//	cobolDev      gnucobol: the COBOL compiler, cobc
//
// Builtin returns this catalog; Catalog.With adds a project's custom sets
// after the built-in ones.
//
// # Composition
//
// A set spec is a comma-separated list of set names, such as
// "base, python, pythonDev". Catalog.Compose turns a spec and any extra
// attributes (from --packages or a project file) into a Selection. The
// result depends only on which sets are named, not on their order or
// repetition in the spec:
//
//   - sets are taken in canonical order;
//   - each attribute appears once, attributed to the first set that has it;
//   - extra attributes follow, skipping any that a set already provides;
//   - extensions appear once each, in set order;
//   - settings are merged key by key, a later set replacing an earlier
//     set's value for the same key.
//
// A stable order keeps image layers and their cache keys stable: the same
// sets always give the same attribute list.
//
// # Errors
//
// Every error caused by the user's input wraps usererr.ErrBadInput, so a command
// can map it to a usage exit status with errors.Is. An unknown set name is
// an *UnknownSetError, whose one-line message suggests the nearest name and
// lists the known ones:
//
//	unknown set "pyhton" (did you mean "python"?); known sets: base, vscodeCompat, ...
//
// A problem in a project file is a *ProjectError that names the file and
// line:
//
//	nixlayer.yaml:7: set "python" is built in; choose another name
//
// # Project file
//
// A project can define its own sets, extra packages and Nix overlays in a
// YAML file, by default nixlayer.yaml:
//
//	# nixlayer.yaml
//	sets:
//	  dataTools:                                  # a set name: a letter, then letters, digits, _ or -
//	    description: Tools the data team uses.    # optional
//	    attrs: [duckdb, python312Packages.pandas] # required, at least one
//	    extensions: [ms-toolsai.jupyter]          # optional VS Code extension IDs
//	    settings:                                 # optional VS Code settings
//	      "jupyter.askForKernelRestart": false
//	packages: [htop]                              # extra attributes for every build
//	overlays: [nix/overlays/openssl-cve.nix]      # relative to this file's directory
//
// All three top-level keys are optional, and an empty file is a valid,
// empty project. The decoder is strict, so that a typo is an error rather
// than a silently ignored setting:
//
//   - unknown or repeated keys are errors, at every level;
//   - values must have the documented types; a null value counts as an
//     empty list or mapping, except that a set needs attrs;
//   - a custom set's name must be valid, must not be a built-in set's name,
//     and must differ (even ignoring case) from every other set's;
//   - attribute paths must pass ValidAttrPath, extension IDs must pass
//     ValidExtensionID, and no list may repeat an entry;
//   - settings may hold any YAML value that JSON can represent; keys such
//     as "[python]" must be quoted;
//   - overlay paths must be non-empty and end in ".nix"; they may be
//     absolute, and LoadProject checks that each names a regular file;
//   - YAML aliases (and so merge keys) are not supported, and the file
//     holds a single YAML document.
//
// ParseProject decodes a file's bytes without touching the file system;
// LoadProject reads the file and resolves overlay paths as well.
//
// The package does no I/O beyond LoadProject's reads and stats, and runs
// no commands.
package sets
