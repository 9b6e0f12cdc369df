package testenv

import (
	"bytes"
	"encoding/binary"
	"encoding/hex"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/nixlayer/nixlayer/internal/platform"
)

// BinfmtDir is where the kernel lists its binfmt_misc entries: the
// interpreters (such as Debian's qemu-user-static) that run programs of
// other platforms.
const BinfmtDir = "/proc/sys/fs/binfmt_misc"

// binfmt is one binfmt_misc entry, as the kernel prints it.
type binfmt struct {
	enabled     bool
	interpreter string
	// fixed is the F flag: the kernel opened the interpreter when it was
	// registered, so that it runs programs in any root (a chroot, Nix's
	// sandbox, a container) without the interpreter there.
	fixed bool
	// credentials is the C flag: a setuid program (such as sudo) runs as
	// its owner, as it would natively.
	credentials bool
	offset      int
	magic, mask []byte
}

// parseBinfmt reads an entry, or reports false for a malformed one or one
// that matches extensions rather than magic numbers.
func parseBinfmt(text string) (binfmt, bool) {
	var b binfmt
	for _, line := range strings.Split(text, "\n") {
		key, value, _ := strings.Cut(line, " ")
		var err error
		switch key {
		case "enabled":
			b.enabled = true
		case "interpreter":
			b.interpreter = value
		case "flags:":
			b.fixed = strings.Contains(value, "F")
			b.credentials = strings.Contains(value, "C")
		case "offset":
			b.offset, err = strconv.Atoi(value)
		case "magic":
			b.magic, err = hex.DecodeString(value)
		case "mask":
			b.mask, err = hex.DecodeString(value)
		case "extension":
			return binfmt{}, false
		}
		if err != nil {
			return binfmt{}, false
		}
	}
	if b.magic == nil {
		return binfmt{}, false
	}
	if b.mask == nil {
		b.mask = bytes.Repeat([]byte{0xff}, len(b.magic))
	}
	return b, len(b.mask) == len(b.magic)
}

// matches reports whether the kernel would run a program that starts
// with header through b.
func (b binfmt) matches(header []byte) bool {
	if b.offset+len(b.magic) > len(header) {
		return false
	}
	for i, m := range b.magic {
		if header[b.offset+i]&b.mask[i] != m&b.mask[i] {
			return false
		}
	}
	return true
}

// elfHeader is the start of an executable of p: a 64-bit little-endian
// ELF file (as the programs of every platform nixlayer builds for are)
// with p's machine.
func elfHeader(p platform.Platform) []byte {
	h := make([]byte, 20)
	copy(h, "\x7fELF\x02\x01\x01")
	binary.LittleEndian.PutUint16(h[16:], 2) // ET_EXEC
	binary.LittleEndian.PutUint16(h[18:], p.ELFMachine)
	return h
}

// emulator returns the binfmt_misc entry of dir that matches p's
// programs, enabled or not, its name, and whether there is one.
func emulator(dir string, p platform.Platform) (name string, b binfmt, ok bool) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return "", binfmt{}, false
	}
	header := elfHeader(p)
	for _, e := range entries {
		if e.Name() == "register" || e.Name() == "status" {
			continue
		}
		data, err := os.ReadFile(filepath.Join(dir, e.Name()))
		if err != nil {
			continue
		}
		if b, ok := parseBinfmt(string(data)); ok && b.matches(header) {
			return e.Name(), b, true
		}
	}
	return "", binfmt{}, false
}

// Emulated returns the platforms other than this machine's whose programs
// the kernel runs through an interpreter registered with the F flag, as
// Debian's qemu-user-static registers qemu-aarch64: Nix builds their
// derivations in its sandbox, and their images run in a chroot.
func Emulated() []platform.Platform {
	host, _ := platform.Host()
	var out []platform.Platform
	for _, p := range platform.All() {
		if p.OCI == host.OCI {
			continue
		}
		if _, b, ok := emulator(BinfmtDir, p); ok && b.enabled && b.fixed {
			out = append(out, p)
		}
	}
	return out
}

// RequirePlatform skips the test unless this machine runs p's programs,
// natively or emulated (see Emulated), or fails it when CI is "true".
func RequirePlatform(t testing.TB, p platform.Platform) {
	t.Helper()
	if host, err := platform.Host(); err == nil && host.OCI == p.OCI {
		return
	}
	for _, e := range Emulated() {
		if e.OCI == p.OCI {
			return
		}
	}
	msg := "this machine does not run %s programs: no binfmt_misc entry in %s runs them with the F flag; install qemu-user-static and binfmt-support, and mount binfmt_misc (see .ci/setup)"
	if name, b, ok := emulator(BinfmtDir, p); ok {
		msg = "this machine's binfmt_misc entry " + name + " for %s programs (in %s) "
		if !b.enabled {
			msg += "is not enabled: run update-binfmts --enable " + name
		} else {
			msg += "lacks the F flag, which Nix's sandbox and chroots need: install qemu-user-static, whose entries have it"
		}
	}
	if os.Getenv("CI") == "true" {
		t.Fatalf(msg, p.OCI, BinfmtDir)
		return
	}
	t.Skipf("skipping: "+msg, p.OCI, BinfmtDir)
}

// RequireSetuid skips the test unless setuid programs of p run as their
// owner on this machine, or fails it when CI is "true": natively, or under
// an emulator registered with the C flag, which Debian's qemu-user-static
// lacks and .ci/setup adds. It calls RequirePlatform first.
func RequireSetuid(t testing.TB, p platform.Platform) {
	t.Helper()
	RequirePlatform(t, p)
	if host, err := platform.Host(); err == nil && host.OCI == p.OCI {
		return
	}
	name, b, _ := emulator(BinfmtDir, p)
	if b.credentials {
		return
	}
	msg := "the binfmt_misc entry " + name + " that runs " + p.OCI + " programs lacks the C flag, so a setuid program such as sudo does not run as root under emulation; register it again with C (see .ci/setup)"
	if os.Getenv("CI") == "true" {
		t.Fatal(msg)
		return
	}
	t.Skip("skipping: " + msg)
}

// emulationConf is what nix.conf needs to build the derivations of the
// emulated platforms in the sandbox: their systems as extra platforms. The
// F flag of their interpreters makes the interpreter itself unneeded in
// the sandbox.
func emulationConf() string {
	var systems []string
	for _, p := range Emulated() {
		systems = append(systems, p.System)
	}
	if len(systems) == 0 {
		return ""
	}
	return "extra-platforms = " + strings.Join(systems, " ") + "\n"
}
