package lock_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/nixlayer/nixlayer/internal/lock"
)

// FuzzParse checks that Parse never panics, that its errors are one line
// that starts with "parsing flake.lock: ", and that a lock it accepts
// gives, for every input, a pin whose report is one line per field, or a
// one-line Input error; and that Locked reads what Input does, and fails
// only where the input is missing or follows another.
func FuzzParse(f *testing.F) {
	f.Add(shipped(f))
	f.Add([]byte(twoInputs))
	f.Add([]byte(`{"nodes": {"root": {}}, "root": "root", "version": 7}`))
	f.Add([]byte(`{"nodes": {"root": {"inputs": {"a": ["b", "c"]}}}, "root": "root", "version": 7}`))
	f.Add([]byte(`{"version": 5}`))
	f.Add([]byte(`[{"version": 7}]`))
	f.Add([]byte("{\n\"a\":\n"))
	f.Add([]byte(pathLock))
	f.Fuzz(func(t *testing.T, data []byte) {
		l, err := lock.Parse(data)
		if err != nil {
			if msg := err.Error(); strings.ContainsAny(msg, "\n\r") || !strings.HasPrefix(msg, "parsing flake.lock: ") {
				t.Errorf("error %q is not one line starting with %q", msg, "parsing flake.lock: ")
			}
			return
		}
		for _, name := range append(l.Inputs(), "no such input") {
			pin, err := l.Input(name)
			src, serr := lock.Locked(data, name)
			lookup := fmt.Sprintf("looking up input %q in flake.lock: ", name)
			if serr != nil && (!strings.HasPrefix(serr.Error(), lookup) || err == nil || err.Error() != serr.Error()) {
				t.Errorf("Locked(%q) error %q, Input error %v", name, serr, err)
			}
			if err != nil {
				if msg := err.Error(); !strings.HasPrefix(msg, lookup) && !strings.HasPrefix(msg, "parsing flake.lock: node ") || strings.ContainsAny(msg, "\n\r") {
					t.Errorf("Input(%q) error %q", name, err)
				}
				continue
			}
			if want := (lock.Source{Type: pin.Type, Rev: pin.Rev, NarHash: pin.NarHash, LastModified: pin.LastModified}); src != want {
				t.Errorf("Locked(%q) = %+v, Input = %+v", name, src, pin)
			}
			report := pin.Report()
			for _, line := range strings.Split(strings.TrimSuffix(report, "\n"), "\n") {
				if key, value, ok := strings.Cut(line, ": "); !ok || key == "" || value == "" {
					t.Errorf("Input(%q).Report() has a bad line %q in:\n%s", name, line, report)
				}
			}
			if !strings.Contains(report, "rev: "+pin.Rev+"\n") || pin.Time().Unix() != pin.LastModified {
				t.Errorf("Input(%q) = %+v, reported as:\n%s", name, pin, report)
			}
		}
	})
}
