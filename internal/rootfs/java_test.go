package rootfs

import (
	"os"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"github.com/nixlayer/nixlayer/internal/sets"
)

const (
	jre = "/nix/store/0000000000000000000000000000000d-temurin-jre-bin-21.0.5"
	jdk = "/nix/store/0000000000000000000000000000000e-openjdk-21.0.5+11"
)

// javaStore adds a JRE (Java home at its out path, no compiler) and a JDK
// (Java home at lib/openjdk) to the fake store.
func javaStore(t *testing.T, in *Input) {
	t.Helper()
	for _, p := range []string{jre + "/bin/java", jre + "/release", jdk + "/lib/openjdk/bin/java", jdk + "/lib/openjdk/bin/javac", jdk + "/lib/openjdk/release"} {
		f := filepath.Join(string(in.Store), p)
		if err := os.MkdirAll(filepath.Dir(f), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(f, []byte("x"), 0o555); err != nil {
			t.Fatal(err)
		}
	}
}

// TestJavaHome checks the link that sets.JavaHome is and JAVA_HOME: to the
// JDK when the image has one, whatever the order, and else to the JRE.
func TestJavaHome(t *testing.T) {
	tests := []struct {
		name     string
		packages []Package
		want     string
	}{
		{"a JRE", []Package{{"temurin-jre-bin-21", jre}}, jre},
		{"a JRE and a JDK", []Package{{"temurin-jre-bin-21", jre}, {"jdk21", jdk}}, jdk + "/lib/openjdk"},
		{"a JDK and a JRE", []Package{{"jdk21", jdk}, {"temurin-jre-bin-21", jre}}, jdk + "/lib/openjdk"},
		{"no Java", nil, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			for _, in := range []Input{devInput(t), runtimeInput(t)} {
				javaStore(t, &in)
				in.Packages = append(in.Packages, tt.packages...)
				for _, p := range tt.packages {
					in.Closure = append(in.Closure, p.Out)
				}
				slices.Sort(in.Closure)
				files, err := Files(in)
				if err != nil {
					t.Fatal(err)
				}
				link := ""
				for _, f := range files {
					if f.Path == sets.JavaHome {
						link = f.Link
					}
				}
				if link != tt.want {
					t.Errorf("%s: %s links to %q, want %q", in.Kind, sets.JavaHome, link, tt.want)
				}
				cfg, err := Config(in, time.Unix(1, 0))
				if err != nil {
					t.Fatal(err)
				}
				if got := slices.Contains(cfg.Env, "JAVA_HOME="+sets.JavaHome); got != (tt.want != "") {
					t.Errorf("%s: env %q: JAVA_HOME set %v, want %v", in.Kind, cfg.Env, got, tt.want != "")
				}
			}
		})
	}
}
