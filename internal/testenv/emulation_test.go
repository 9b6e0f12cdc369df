package testenv

import (
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/nixlayer/nixlayer/internal/platform"
)

// Entries as this kernel prints them: Debian's qemu-user-static for
// aarch64 and 32-bit arm, and binfmt-support's python entry.
const (
	qemuAarch64 = "enabled\ninterpreter /usr/libexec/qemu-binfmt/aarch64-binfmt-P\nflags: PF\noffset 0\nmagic 7f454c460201010000000000000000000200b700\nmask ffffffffffffff00fffffffffffffffffeffffff\n"
	qemuArm     = "enabled\ninterpreter /usr/libexec/qemu-binfmt/arm-binfmt-P\nflags: PF\noffset 0\nmagic 7f454c4601010100000000000000000002002800\nmask ffffffffffffff00fffffffffffffffffeffffff\n"
	python      = "enabled\ninterpreter /usr/bin/python3.11\nflags: \noffset 0\nmagic a70d0d0a\n"
)

func platformOf(t *testing.T, name string) platform.Platform {
	p, err := platform.Parse(name)
	if err != nil {
		t.Fatal(err)
	}
	return p
}

func TestEmulator(t *testing.T) {
	arm64, amd64 := platformOf(t, "linux/arm64"), platformOf(t, "linux/amd64")
	tests := []struct {
		name    string
		entries map[string]string
		p       platform.Platform
		want    string // the entry found, or ""
		enabled bool
		fixed   bool
		creds   bool
	}{
		{"qemu-user-static", map[string]string{"qemu-aarch64": qemuAarch64, "qemu-arm": qemuArm, "python3.11": python}, arm64, "qemu-aarch64", true, true, false},
		{"with credentials", map[string]string{"qemu-aarch64": strings.Replace(qemuAarch64, "flags: PF", "flags: POCF", 1)}, arm64, "qemu-aarch64", true, true, true},
		{"no amd64 interpreter", map[string]string{"qemu-aarch64": qemuAarch64, "qemu-arm": qemuArm}, amd64, "", false, false, false},
		{"32-bit arm only", map[string]string{"qemu-arm": qemuArm, "python3.11": python}, arm64, "", false, false, false},
		{"disabled", map[string]string{"qemu-aarch64": "disabled\n" + qemuAarch64[len("enabled\n"):]}, arm64, "qemu-aarch64", false, true, false},
		{"without the F flag", map[string]string{"qemu-aarch64": "enabled\ninterpreter /usr/bin/qemu-aarch64\nflags: P\noffset 0\nmagic 7f454c460201010000000000000000000200b700\nmask ffffffffffffff00fffffffffffffffffeffffff\n"}, arm64, "qemu-aarch64", true, false, false},
		{"no entries", nil, arm64, "", false, false, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := t.TempDir()
			for name, text := range tt.entries {
				if err := os.WriteFile(filepath.Join(dir, name), []byte(text), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			for _, f := range []string{"register", "status"} {
				if err := os.WriteFile(filepath.Join(dir, f), []byte("enabled\n"), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			name, b, ok := emulator(dir, tt.p)
			if name != tt.want || ok != (tt.want != "") || b.enabled != tt.enabled || b.fixed != tt.fixed || b.credentials != tt.creds {
				t.Errorf("emulator = %q (enabled %v, fixed %v, credentials %v), %v; want %q (enabled %v, fixed %v, credentials %v)", name, b.enabled, b.fixed, b.credentials, ok, tt.want, tt.enabled, tt.fixed, tt.creds)
			}
			if ok && b.interpreter == "" {
				t.Errorf("entry %s has no interpreter", name)
			}
		})
	}
}

// TestEmulationConf checks nix.conf's extra-platforms against what the
// machine runs: an arm64 busybox from the test universe, when there is
// one, runs exactly when Emulated lists arm64.
func TestEmulationConf(t *testing.T) {
	arm64 := platformOf(t, "linux/arm64")
	if host, _ := platform.Host(); host.OCI == arm64.OCI {
		t.Skip("skipping: this machine is arm64")
	}
	emulated := slices.ContainsFunc(Emulated(), func(p platform.Platform) bool { return p.OCI == arm64.OCI })
	conf := emulationConf()
	if emulated != (conf == "extra-platforms = aarch64-linux\n") {
		t.Errorf("arm64 emulated %v, nix.conf adds %q", emulated, conf)
	}
	if os.Getenv("CI") == "true" && !emulated {
		t.Error("CI emulates arm64 (.ci/setup installs qemu-user-static), but no binfmt_misc entry runs its programs")
	}
	s, err := universeSystem(universeDir(), arm64.System)
	if err != nil {
		t.Skipf("skipping the run of an arm64 program: %v", err)
	}
	out, err := exec.Command(filepath.Join(universeDir(), s.Busybox, "busybox"), "uname", "-m").Output()
	if ran := err == nil && string(out) == "aarch64\n"; ran != emulated {
		t.Errorf("the universe's arm64 busybox printed %q (%v); arm64 emulated %v", out, err, emulated)
	}
}
