# Stand-ins for the catalog attributes whose programs need not really run in
# the tests: small bash scripts with nixpkgs-like names, versions and
# closure shapes, and with the sources nixpkgs' expressions have (the
# fetcher, URL template, and tag or rev as the issue-20 research's table
# gives them, file beside each). Toolchains are large paths; many
# stand-ins reference the same shared libraries (openssl, zlib, icu, the
# C++ runtime).
{ final, lib, system, platform }:
let
  standIn = { pname, version, src, bins ? [ pname ], applets ? [ ], refs ? [ ], sizeMiB ? 0, patches ? [ ], postInstall ? "", meta ? { } }:
    lib.mkDerivation {
      inherit pname version src patches meta system bins applets refs sizeMiB postInstall;
      builder = "${final.busybox}/bin/busybox";
      args = [ "sh" "-eu" ./builders/standin.sh ];
      bbdir = "${final.busybox}/bin";
      bash = final.bash;
      # Compressed data: a Debian archive is as incompressible as a binary.
      blob = if sizeMiB > 0 then builtins.head final.icu.debs else "";
    };
  gh = final.fetchFromGitHub;
  url = u: final.fetchurl { url = u; };
  # The name nixpkgs' release assets give the system's CPU.
  cpu = x64: if system == "aarch64-linux" then "aarch64" else x64;

  pythonPackage = { pname, version, src, module, bins ? [ ] }: standIn {
    inherit pname version src bins;
    refs = [ final.python3 ];
    postInstall = ''
      d=$out/lib/python3.11/site-packages/${module}
      mkdir -p $d
      printf '__version__ = "%s"\n' ${version} > $d/__init__.py
      # The metadata pip installs, which scanners read.
      i=$out/lib/python3.11/site-packages/${pname}-${version}.dist-info
      mkdir -p $i
      printf 'Metadata-Version: 2.1\nName: %s\nVersion: %s\n' ${pname} ${version} > $i/METADATA
      printf 'pip\n' > $i/INSTALLER
    '';
  };

  # A Go program regen.sh built for the system (gobin/, gobin-arm64/, …).
  goProgram = name:
    let p = ./. + "/${platform.gobin}/${name}"; in
    if builtins.pathExists p then p
    else throw "the nixlayer test universe has no ${platform.gobin}/${name}: run testdata/universe/regen.sh";

  nodePackage = { pname, version, src, bins }: standIn {
    inherit pname version src bins;
    refs = [ final.nodejs_22 ];
  };

  # A Java runtime or development kit. Its Java home, which holds bin/ and
  # the release file that tools look for, is $out for a binary distribution
  # (temurin) and $out/lib/openjdk for nixpkgs' OpenJDK builds; $out/bin
  # has the programs either way.
  java = { pname, version, src, home ? "", bins, refs, sizeMiB, meta ? { } }: standIn {
    inherit pname version src refs sizeMiB meta;
    bins = [ ];
    postInstall = ''
      h=$out${home}
      mkdir -p $h/bin $out/bin
      for b in ${toString bins}; do
        printf '#!%s/bin/bash\n# %s from %s %s: a stand-in from the nixlayer test universe.\necho "%s (%s) %s"\n' ${final.bash} $b ${pname} ${version} $b ${pname} ${version} > $h/bin/$b
        chmod 555 $h/bin/$b
        [ -e $out/bin/$b ] || ln -s $h/bin/$b $out/bin/$b
      done
      printf 'IMPLEMENTOR="%s"\nJAVA_VERSION="%s"\n' ${pname} ${version} > $h/release
    '';
  };
  jdkBins = [ "java" "javac" "jar" "javadoc" "jshell" "keytool" ];
in
{
  # pkgs/by-name/ri/ripgrep@0b18bc01: rev = version; fd@08523630,
  # fzf@0148e16d, bat@082273f4: rev = "v${version}".
  ripgrep = standIn { pname = "ripgrep"; version = "14.1.1"; src = gh { owner = "BurntSushi"; repo = "ripgrep"; rev = "14.1.1"; }; bins = [ "rg" ]; refs = [ final.libpcre2-8-0 ]; };
  fd = standIn { pname = "fd"; version = "10.2.0"; src = gh { owner = "sharkdp"; repo = "fd"; rev = "v10.2.0"; }; };
  fzf = standIn { pname = "fzf"; version = "0.56.3"; src = gh { owner = "junegunn"; repo = "fzf"; rev = "v0.56.3"; }; };
  bat = standIn { pname = "bat"; version = "0.24.0"; src = gh { owner = "sharkdp"; repo = "bat"; rev = "v0.24.0"; }; refs = [ final.zlib ]; };
  shadow = standIn {
    pname = "shadow";
    version = "4.13";
    # pkgs/by-name/sh/shadow@0a381e31: tag = version.
    src = gh { owner = "shadow-maint"; repo = "shadow"; tag = "4.13"; };
    bins = [ "useradd" "groupadd" "usermod" "passwd" "newgrp" ];
    refs = [ final.pam ];
    patches = [ ./patches/shadow-CVE-2023-29383.patch ];
    meta.identifiers = lib.cpe "debian" "shadow" "4.13";
  };
  # pkgs/os-specific/linux/procps-ng (fork): mirror://sourceforge.
  procps = standIn { pname = "procps"; version = "4.0.4"; src = url "mirror://sourceforge/procps-ng/procps-ng-4.0.4.tar.xz"; bins = [ ]; applets = [ "ps" "top" "free" "uptime" "kill" "watch" "pidof" ]; };

  nix-direnv = standIn {
    pname = "nix-direnv";
    version = "3.0.6";
    # pkgs/by-name/ni/nix-direnv@07320dad: rev = version.
    src = gh { owner = "nix-community"; repo = "nix-direnv"; rev = "3.0.6"; };
    bins = [ ];
    refs = [ final.nix final.direnv ];
    postInstall = ''
      mkdir -p $out/share/nix-direnv
      printf '# nix-direnv stand-in\nuse_flake() { watch_file flake.nix flake.lock; eval "$(%s/bin/nix print-dev-env --profile .direnv/flake-profile)"; }\n' ${final.nix} > $out/share/nix-direnv/direnvrc
    '';
  };

  # pip, virtualenv, uv, ruff, pyright (fork): tag = version.
  python312Packages = {
    pip = pythonPackage { pname = "pip"; version = "24.2"; src = gh { owner = "pypa"; repo = "pip"; tag = "24.2"; }; module = "pip"; bins = [ "pip" "pip3" ]; };
    virtualenv = pythonPackage { pname = "virtualenv"; version = "20.26.6"; src = gh { owner = "pypa"; repo = "virtualenv"; tag = "20.26.6"; }; module = "virtualenv"; bins = [ "virtualenv" ]; };
  };
  uv = standIn { pname = "uv"; version = "0.4.30"; src = gh { owner = "astral-sh"; repo = "uv"; tag = "0.4.30"; }; bins = [ "uv" "uvx" ]; sizeMiB = 4; };
  ruff = standIn { pname = "ruff"; version = "0.7.2"; src = gh { owner = "astral-sh"; repo = "ruff"; tag = "0.7.2"; }; };
  pyright = nodePackage { pname = "pyright"; version = "1.1.387"; src = gh { owner = "Microsoft"; repo = "pyright"; tag = "1.1.387"; }; bins = [ "pyright" "pyright-langserver" ]; };

  # pkgs/development/web/nodejs/nodejs.nix (fork): nodejs.org.
  nodejs_22 = standIn {
    pname = "nodejs";
    version = "22.11.0";
    src = url "https://nodejs.org/dist/v22.11.0/node-v22.11.0.tar.xz";
    bins = [ "node" "npm" "npx" "corepack" ];
    refs = [ final.icu final.openssl final.zlib final.gcc-lib ];
    sizeMiB = 16;
    meta.identifiers = lib.cpe "nodejs" "node.js" "22.11.0";
  };
  # pkgs/by-name/bu/bun (fork): the system's release asset (a binary).
  bun = standIn { pname = "bun"; version = "1.1.34"; src = url "https://github.com/oven-sh/bun/releases/download/bun-v1.1.34/bun-linux-${cpu "x64"}.zip"; bins = [ "bun" "bunx" ]; sizeMiB = 8; };
  # typescript, prettier, eslint (fork): tag.
  typescript = nodePackage { pname = "typescript"; version = "5.6.3"; src = gh { owner = "microsoft"; repo = "TypeScript"; tag = "v5.6.3"; }; bins = [ "tsc" "tsserver" ]; };
  prettier = nodePackage { pname = "prettier"; version = "3.3.3"; src = gh { owner = "prettier"; repo = "prettier"; tag = "3.3.3"; }; bins = [ "prettier" ]; };
  eslint = nodePackage { pname = "eslint"; version = "9.14.0"; src = gh { owner = "eslint"; repo = "eslint"; tag = "v9.14.0"; }; bins = [ "eslint" ]; };

  # pkgs/development/compilers/go (fork): go.dev.
  go = standIn {
    pname = "go";
    version = "1.23.3";
    src = url "https://go.dev/dl/go1.23.3.src.tar.gz";
    bins = [ "go" "gofmt" ];
    sizeMiB = 24;
    meta.identifiers = lib.cpe "golang" "go" "1.23.3";
  };
  # gopls, golangci-lint (fork): tag.
  gopls = standIn { pname = "gopls"; version = "0.16.2"; src = gh { owner = "golang"; repo = "tools"; tag = "gopls/v0.16.2"; }; refs = [ final.go ]; };
  golangci-lint = standIn { pname = "golangci-lint"; version = "1.61.0"; src = gh { owner = "golangci"; repo = "golangci-lint"; tag = "v1.61.0"; }; refs = [ final.go ]; };

  # pkgs/development/compilers/rust/rustc.nix (fork): static.rust-lang.org;
  # cargo, clippy and rustfmt build from rustc's src.
  rustc = standIn {
    pname = "rustc";
    version = "1.82.0";
    src = url "https://static.rust-lang.org/dist/rustc-1.82.0-src.tar.gz";
    bins = [ "rustc" "rustdoc" ];
    refs = [ final.gcc-lib final.zlib ];
    sizeMiB = 32;
    meta.identifiers = lib.cpe "rust-lang" "rust" "1.82.0";
  };
  cargo = standIn { pname = "cargo"; version = "1.82.0"; src = final.rustc.src; refs = [ final.rustc final.openssl final.curl ]; };
  # pkgs/by-name/ru/rust-analyzer-unwrapped (fork): rev = version (a date tag).
  rust-analyzer = standIn { pname = "rust-analyzer"; version = "2024-11-04"; src = gh { owner = "rust-lang"; repo = "rust-analyzer"; rev = "2024-11-04"; }; };
  clippy = standIn { pname = "clippy"; version = "1.82.0"; src = final.rustc.src; bins = [ "cargo-clippy" "clippy-driver" ]; refs = [ final.rustc ]; };
  rustfmt = standIn { pname = "rustfmt"; version = "1.82.0"; src = final.rustc.src; bins = [ "rustfmt" "cargo-fmt" ]; refs = [ final.rustc ]; };

  # pkgs/development/tools/shellcheck: Hackage's ShellCheck, mirror://hackage.
  shellcheck = standIn { pname = "shellcheck"; version = "0.10.0"; src = url "mirror://hackage/ShellCheck-0.10.0.tar.gz"; refs = [ final.libgmp10 final.libffi8 ]; };
  # shfmt is a real Go program with module build info (regen.sh builds it
  # into gobin/), so that scanners find Go modules inside a store path.
  # pkgs/by-name/sh/shfmt (fork): rev = "v${version}".
  shfmt = standIn {
    pname = "shfmt";
    version = "3.10.0";
    src = gh { owner = "mvdan"; repo = "sh"; rev = "v3.10.0"; };
    bins = [ ];
    postInstall = "mkdir -p $out/bin; cp ${goProgram "shfmt"} $out/bin/shfmt; chmod 555 $out/bin/shfmt";
  };
  # Java 21: a JRE without a compiler (a binary distribution), and the
  # OpenJDK builds, headless and full, that Maven and Gradle run on.
  # Temurin (pkgs/development/compilers/temurin-bin, sources.json): the
  # system's release asset of tag jdk-21.0.X+B (+ as %2B); OpenJDK
  # (openjdk/21/source.json): fetchFromGitHub with rev = "refs/tags/...".
  temurin-jre-bin-21 = java {
    pname = "temurin-jre-bin";
    version = "21.0.5";
    src = url "https://github.com/adoptium/temurin21-binaries/releases/download/jdk-21.0.5%2B11/OpenJDK21U-jre_${cpu "x64"}_linux_hotspot_21.0.5_11.tar.gz";
    bins = [ "java" "keytool" "jfr" "jwebserver" ];
    refs = [ final.zlib ];
    sizeMiB = 12;
    meta.identifiers = lib.cpe "eclipse" "temurin" "21.0.5";
  };
  jdk21_headless = java {
    pname = "openjdk-headless";
    version = "21.0.5+11";
    src = gh { owner = "openjdk"; repo = "jdk21u"; rev = "refs/tags/jdk-21.0.5+11"; };
    home = "/lib/openjdk";
    bins = jdkBins;
    refs = [ final.zlib final.gcc-lib ];
    sizeMiB = 20;
    meta.identifiers = lib.cpe "oracle" "openjdk" "21.0.5";
  };
  jdk21 = java {
    pname = "openjdk";
    version = "21.0.5+11";
    src = gh { owner = "openjdk"; repo = "jdk21u"; rev = "refs/tags/jdk-21.0.5+11"; };
    home = "/lib/openjdk";
    bins = jdkBins;
    refs = [ final.zlib final.gcc-lib final.libffi8 ];
    sizeMiB = 24;
    meta.identifiers = lib.cpe "oracle" "openjdk" "21.0.5";
  };
  # maven (fork): mirror://apache; gradle: services.gradle.org.
  maven = standIn { pname = "apache-maven"; version = "3.9.9"; src = url "mirror://apache/maven/maven-3/3.9.9/binaries/apache-maven-3.9.9-bin.tar.gz"; bins = [ "mvn" "mvnDebug" ]; refs = [ final.jdk21_headless ]; sizeMiB = 2; };
  gradle = standIn { pname = "gradle"; version = "8.10.2"; src = url "https://services.gradle.org/distributions/gradle-8.10.2-bin.zip"; bins = [ "gradle" ]; refs = [ final.jdk21 ]; sizeMiB = 8; };

  # pkgs/by-name/ba/bats (fork): rev = "v${version}".
  bats = standIn { pname = "bats"; version = "1.11.0"; src = gh { owner = "bats-core"; repo = "bats-core"; rev = "v1.11.0"; }; };
}
