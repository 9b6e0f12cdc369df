package sets

// JavaHome is where an image with a Java runtime has its Java home (a link
// to the JDK's, or else the JRE's, in the store), and what JAVA_HOME says:
// a fixed path, so that a setting such as java.jdt.ls.java.home can name it
// whatever the store path.
const JavaHome = "/usr/lib/jvm/default-java"

// builtinSets returns fresh copies of the built-in sets in canonical order.
// The order is the order of a composed image's attributes, so the sets that
// most images share come first.
func builtinSets() []Set {
	sets := []Set{
		{
			Name:        "base",
			Description: "A minimal interactive shell: bash, coreutils, findutils, grep, sed, CA certificates and time zone data.",
			Attrs:       []string{"bashInteractive", "coreutils", "findutils", "gnugrep", "gnused", "cacert", "tzdata"},
		},
		{
			Name:        "vscodeCompat",
			Description: "What the VS Code server needs inside a container: glibc, libstdc++, tar, gzip, ps and getent. Every devcontainer has it.",
			Attrs:       []string{"glibc", "stdenv.cc.cc.lib", "gnutar", "gzip", "procps", "getent"},
		},
		{
			Name:        "devTools",
			Description: "Everyday command-line tools (git, curl, jq, ripgrep, fd, fzf, bat) plus shadow and sudo for managing users.",
			Attrs:       []string{"git", "curl", "jq", "ripgrep", "fd", "fzf", "bat", "shadow", "sudo"},
		},
		{
			Name:        "nixTools",
			Description: "Nix itself, with direnv and nix-direnv for per-project development shells.",
			Attrs:       []string{"nix", "direnv", "nix-direnv"},
			Extensions:  []string{"mkhl.direnv", "jnoortheen.nix-ide"},
		},
		{
			Name:        "python",
			Description: "The Python 3.12 interpreter, with the VS Code Python, Pylance, debugger and Ruff extensions.",
			Attrs:       []string{"python312"},
			Extensions:  []string{"ms-python.python", "ms-python.vscode-pylance", "ms-python.debugpy", "charliermarsh.ruff"},
			Settings: map[string]any{
				"[python]": map[string]any{"editor.defaultFormatter": "charliermarsh.ruff", "editor.formatOnSave": true},
			},
		},
		{
			Name:        "pythonDev",
			Description: "Python development tools to use with python: pip, virtualenv, uv, the Ruff linter and formatter, and the Pyright type checker.",
			Attrs:       []string{"python312Packages.pip", "python312Packages.virtualenv", "uv", "ruff", "pyright"},
		},
		{
			Name:        "node",
			Description: "The Node.js 22 runtime with npm, with the VS Code ESLint, Prettier and Bun extensions.",
			Attrs:       []string{"nodejs_22"},
			Extensions:  []string{"dbaeumer.vscode-eslint", "esbenp.prettier-vscode", "oven.bun-vscode"},
			Settings:    prettierSettings("javascript", "javascriptreact", "typescript", "typescriptreact", "json", "jsonc"),
		},
		{
			Name:        "nodeDev",
			Description: "JavaScript and TypeScript development tools to use with node: Bun, the TypeScript compiler, Prettier and ESLint.",
			Attrs:       []string{"bun", "typescript", "prettier", "eslint"},
		},
		{
			Name:        "go",
			Description: "The Go toolchain, with the VS Code Go extension.",
			Attrs:       []string{"go"},
			Extensions:  []string{"golang.go"},
			Settings: map[string]any{
				"go.toolsManagement.checkForUpdates": "off",
				"[go]":                               map[string]any{"editor.formatOnSave": true},
			},
		},
		{
			Name:        "goDev",
			Description: "Go development tools to use with go: the gopls language server and golangci-lint.",
			Attrs:       []string{"gopls", "golangci-lint"},
		},
		{
			Name:        "rust",
			Description: "The Rust compiler and Cargo, with the VS Code rust-analyzer and TOML extensions.",
			Attrs:       []string{"rustc", "cargo"},
			Extensions:  []string{"rust-lang.rust-analyzer", "tamasfe.even-better-toml"},
			Settings: map[string]any{
				"[rust]": map[string]any{"editor.defaultFormatter": "rust-lang.rust-analyzer", "editor.formatOnSave": true},
			},
		},
		{
			Name:        "rustDev",
			Description: "Rust development tools to use with rust: rust-analyzer, Clippy and rustfmt.",
			Attrs:       []string{"rust-analyzer", "clippy", "rustfmt"},
		},
		{
			Name:        "bash",
			Description: "Shell-script tools: ShellCheck, shfmt and the Bats test framework, with their VS Code extensions.",
			Attrs:       []string{"shellcheck", "shfmt", "bats"},
			Extensions:  []string{"timonwong.shellcheck", "mkhl.shfmt", "jetmartin.bats"},
			Settings: map[string]any{
				"[shellscript]": map[string]any{"editor.defaultFormatter": "mkhl.shfmt"},
			},
		},
		{
			Name:        "java",
			Description: "A Java 21 runtime, Eclipse Temurin's JRE: java without a compiler, for images that run Java programs.",
			Attrs:       []string{"temurin-jre-bin-21"},
		},
		{
			Name:        "javaDev",
			Description: "Java development tools: the OpenJDK 21 JDK, Maven and Gradle, with the VS Code Java, debugger, Maven and Gradle extensions.",
			Attrs:       []string{"jdk21", "maven", "gradle"},
			Extensions:  []string{"redhat.java", "vscjava.vscode-java-debug", "vscjava.vscode-maven", "vscjava.vscode-gradle"},
			Settings:    map[string]any{"java.jdt.ls.java.home": JavaHome},
		},
		{
			Name:        "cobol",
			Description: "The GnuCOBOL runtime library, libcob, that compiled COBOL programs run with, and the VS Code COBOL extension.",
			Attrs:       []string{"gnucobol.lib"},
			Extensions:  []string{"bitlang.cobol"},
		},
		{
			Name:        "cobolDev",
			Description: "The GnuCOBOL compiler, cobc, to use with cobol.",
			Attrs:       []string{"gnucobol"},
		},
	}
	for i := range sets {
		sets[i].Source = SourceBuiltin
	}
	return sets
}

// prettierSettings makes Prettier the format-on-save formatter for each of
// the given VS Code language IDs.
func prettierSettings(languages ...string) map[string]any {
	m := make(map[string]any, len(languages))
	for _, l := range languages {
		m["["+l+"]"] = map[string]any{"editor.defaultFormatter": "esbenp.prettier-vscode", "editor.formatOnSave": true}
	}
	return m
}
