package rootfs

import (
	"io/fs"

	"github.com/nixlayer/nixlayer/internal/sets"
)

// javaHomes are where a package keeps its Java home, the directory that
// holds bin/java and the release file: lib/openjdk in nixpkgs' OpenJDK
// builds (their passthru.home), or the out path itself in binary
// distributions such as Temurin's.
var javaHomes = []string{"/lib/openjdk", ""}

// javaHome returns the Java home that sets.JavaHome links to and JAVA_HOME
// names: the first package's, in selection order, that has a compiler
// (bin/javac), as Maven, Gradle and the Java language server want, or else
// the first package's with a runtime (bin/java). It returns "" when the
// image holds no Java.
func javaHome(in *Input) string {
	var runtime string
	for _, p := range in.Packages {
		for _, sub := range javaHomes {
			home := p.Out + sub
			if !in.exists(home+"/release") || !in.exists(home+"/bin/java") {
				continue
			}
			if in.exists(home + "/bin/javac") {
				return home
			}
			if runtime == "" {
				runtime = home
			}
		}
	}
	return runtime
}

// javaFiles links sets.JavaHome to the image's Java home, if it has one.
func javaFiles(t tree, in *Input) {
	if home := javaHome(in); home != "" {
		t.link(sets.JavaHome, home)
	}
}

// exists reports whether the store file p exists, after its links.
func (in *Input) exists(p string) bool {
	_, err := fs.Stat(in.fs(), rel(p))
	return err == nil
}
