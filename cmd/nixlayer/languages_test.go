package main

import (
	"encoding/json"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	v1 "github.com/google/go-containerregistry/pkg/v1"

	"github.com/nixlayer/nixlayer/internal/nix"
	"github.com/nixlayer/nixlayer/internal/platform"
	"github.com/nixlayer/nixlayer/internal/rootfs"
	"github.com/nixlayer/nixlayer/internal/sets"
	"github.com/nixlayer/nixlayer/internal/testenv"
)

// TestLanguageImages builds images of the java and cobol sets from the
// test universe and runs them: the runtime images run their language's
// runtime and hold no compiler; the devcontainers have the compilers, the
// Java home that JAVA_HOME and the Java extension's setting name, and the
// sets' extensions.
func TestLanguageImages(t *testing.T) {
	buildEnv(t)

	t.Run("a java runtime runs java and has no javac", func(t *testing.T) {
		_, img, _ := build(t, "runtime", "base,java")
		root := unpack(t, img)
		cfg := config(t, img)
		if !slices.Contains(cfg.Config.Env, "JAVA_HOME="+sets.JavaHome) {
			t.Errorf("env %q has no JAVA_HOME=%s", cfg.Config.Env, sets.JavaHome)
		}
		for _, argv := range [][]string{{"java", "-version"}, {sets.JavaHome + "/bin/java", "-version"}} {
			if out, err := inImage(t, root, cfg, 1000, argv...); err != nil || !strings.HasPrefix(out, "java (temurin-jre-bin) 21") {
				t.Errorf("%s: %q, %v", strings.Join(argv, " "), out, err)
			}
		}
		if found := programs(t, root, "javac", "jshell"); len(found) > 0 {
			t.Errorf("the java runtime image holds a compiler: %v", found)
		}
	})

	t.Run("a cobol runtime runs a COBOL program and has no compiler", func(t *testing.T) {
		testenv.Require(t, "cobc")
		_, img, _ := build(t, "runtime", "base,cobol")
		root := unpack(t, img)
		// A program compiled here and linked for the image's store, as a
		// Nix build of it would be: its loader is the image's glibc, and
		// its libcob the image's.
		var glibc, libcob string
		for p := range storeLayers(t, img) {
			switch name := nix.StoreName(p); {
			case strings.HasPrefix(name, "glibc-"):
				glibc = p
			case strings.HasPrefix(name, "libcob4-"):
				libcob = p
			}
		}
		if glibc == "" || libcob == "" {
			t.Fatalf("the image lacks glibc (%q) or libcob (%q)", glibc, libcob)
		}
		host, err := platform.Host()
		if err != nil {
			t.Skip(err)
		}
		dir := t.TempDir()
		src := filepath.Join(dir, "hello.cob")
		program := "       IDENTIFICATION DIVISION.\n       PROGRAM-ID. HELLO.\n       PROCEDURE DIVISION.\n           DISPLAY \"Hello, COBOL!\".\n           STOP RUN.\n"
		if err := os.WriteFile(src, []byte(program), 0o644); err != nil {
			t.Fatal(err)
		}
		cmd := exec.Command("cobc", "-x", "-o", filepath.Join(root, "app", "hello"), src,
			"-Q", "-Wl,--dynamic-linker="+glibc+"/lib/"+filepath.Base(host.Loader),
			"-Q", "-Wl,-rpath,"+libcob+"/lib:"+glibc+"/lib")
		cmd.Dir = dir
		if out, err := cmd.CombinedOutput(); err != nil {
			t.Fatalf("cobc: %v\n%s", err, out)
		}
		if out, err := inImage(t, root, config(t, img), 1000, "/app/hello"); err != nil || out != "Hello, COBOL!\n" {
			t.Errorf("a COBOL program: %q, %v", out, err)
		}
		if found := programs(t, root, "cobc", "gcc", "cc", "ld"); len(found) > 0 {
			t.Errorf("the cobol runtime image holds a compiler: %v", found)
		}
	})

	t.Run("a java devcontainer has the JDK, Maven, Gradle and the extensions", func(t *testing.T) {
		_, img, _ := build(t, "devcontainer", "base,devTools,nixTools,java,javaDev")
		root := unpack(t, img)
		cfg := config(t, img)
		// With a JRE and a JDK, the Java home is the JDK's.
		for _, c := range []struct {
			argv []string
			want string
		}{
			{[]string{"bash", "-lc", "$JAVA_HOME/bin/javac -version"}, "javac (openjdk) 21"},
			{[]string{sets.JavaHome + "/bin/javac", "-version"}, "javac (openjdk) 21"},
			{[]string{"mvn", "--version"}, "mvn (apache-maven) 3.9"},
			{[]string{"gradle", "--version"}, "gradle (gradle) 8"},
		} {
			if out, err := inImage(t, root, cfg, 1000, c.argv...); err != nil || !strings.HasPrefix(out, c.want) {
				t.Errorf("%s: %q, %v; want %q", strings.Join(c.argv, " "), out, err, c.want)
			}
		}
		meta := metadataOf(t, img)
		if got := meta.Customizations.VSCode.Settings["java.jdt.ls.java.home"]; got != sets.JavaHome {
			t.Errorf("java.jdt.ls.java.home is %v, want %s", got, sets.JavaHome)
		}
		for _, ext := range []string{"redhat.java", "vscjava.vscode-java-debug", "vscjava.vscode-maven", "vscjava.vscode-gradle"} {
			if !slices.Contains(meta.Customizations.VSCode.Extensions, ext) {
				t.Errorf("the devcontainer's extensions %v lack %s", meta.Customizations.VSCode.Extensions, ext)
			}
		}
	})

	t.Run("a cobol devcontainer has cobc and the extension", func(t *testing.T) {
		_, img, _ := build(t, "devcontainer", "base,devTools,nixTools,cobol,cobolDev")
		root := unpack(t, img)
		if out, err := inImage(t, root, config(t, img), 1000, "cobc", "--version"); err != nil || !strings.HasPrefix(out, "cobc (GnuCOBOL) 3.") {
			t.Errorf("cobc --version: %q, %v", out, err)
		}
		if meta := metadataOf(t, img); !slices.Contains(meta.Customizations.VSCode.Extensions, "bitlang.cobol") {
			t.Errorf("the devcontainer's extensions %v lack bitlang.cobol", meta.Customizations.VSCode.Extensions)
		}
	})
}

// programs returns the programs of the given names anywhere in the
// unpacked image: in /usr/bin, or in a bin directory of a store path
// (lib/openjdk/bin, as nixpkgs' JDKs have it, too).
func programs(t *testing.T, root string, names ...string) []string {
	t.Helper()
	var found []string
	err := filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if slices.Contains(names, d.Name()) && !d.IsDir() && filepath.Base(filepath.Dir(p)) == "bin" {
			found = append(found, strings.TrimPrefix(p, root))
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return found
}

// metadata is what the tests read of the devcontainer.metadata label.
type metadata struct {
	Customizations struct {
		VSCode struct {
			Extensions []string       `json:"extensions"`
			Settings   map[string]any `json:"settings"`
		} `json:"vscode"`
	} `json:"customizations"`
}

// metadataOf decodes img's devcontainer.metadata label, one object.
func metadataOf(t *testing.T, img v1.Image) metadata {
	t.Helper()
	var meta []metadata
	label := config(t, img).Config.Labels[rootfs.LabelMetadata]
	if err := json.Unmarshal([]byte(label), &meta); err != nil || len(meta) != 1 {
		t.Fatalf("devcontainer.metadata %q: %v", label, err)
	}
	return meta[0]
}
