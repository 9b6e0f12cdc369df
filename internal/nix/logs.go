package nix

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"regexp"
	"strings"
	"sync"
	"time"
)

// The driver asks every nix command for its log as internal-json: one
// JSON message per line, "@nix {…}", which Nix 2.8 and current Nix both
// write. The driver decodes it, never parsing Nix's human text: a message
// ("msg") becomes a line of the command's error, and the progress of its
// builds and copies ("start" and "result" of typed activities) becomes
// one folded line, "built 12 of 111 derivations", instead of a line per
// derivation.
const logFormat = "internal-json"

// Nix's activity and result types (src/libutil/logging.hh), as numbers in
// internal-json.
const (
	actCopyPaths = 103
	actBuilds    = 104
	actBuild     = 105

	resBuildLogLine = 101
	resProgress     = 105
)

// Nix's verbosity levels.
const (
	lvlError = 0
	lvlWarn  = 1
	lvlInfo  = 3
)

// logMessage is one internal-json message.
type logMessage struct {
	Action string            `json:"action"`
	ID     uint64            `json:"id"`
	Level  int               `json:"level"`
	Type   int               `json:"type"`
	Text   string            `json:"text"`
	Msg    string            `json:"msg"`
	Fields []json.RawMessage `json:"fields"`
}

// progressEvery is how often a folded progress line may repeat.
const progressEvery = 2 * time.Second

// logDecoder is the standard error of one nix command. It writes the
// messages' text to text (the tail that errors quote) and, when progress
// is set, writes to it every warning and error once, and the folded
// progress of builds and copies; with verbose, every message and build log
// line, as Nix would print them. Lines that are not internal-json (from a
// Nix that ignores --log-format, or from a builder) pass as they are.
type logDecoder struct {
	text     io.Writer
	progress io.Writer
	verbose  bool

	mu       sync.Mutex
	partial  []byte
	kinds    map[uint64]int // activity id → type
	seen     map[string]bool
	counts   map[int][2]int64 // activity type → done, expected
	printed  map[int]time.Time
	reported map[int]int64
	started  map[int]bool
}

func newLogDecoder(text, progress io.Writer, verbose bool) *logDecoder {
	return &logDecoder{
		text: text, progress: progress, verbose: verbose,
		kinds: map[uint64]int{}, seen: map[string]bool{},
		counts: map[int][2]int64{}, printed: map[int]time.Time{}, reported: map[int]int64{},
		started: map[int]bool{},
	}
}

func (d *logDecoder) Write(p []byte) (int, error) {
	d.mu.Lock()
	defer d.mu.Unlock()
	d.partial = append(d.partial, p...)
	for {
		i := bytes.IndexByte(d.partial, '\n')
		if i < 0 {
			break
		}
		d.line(d.partial[:i])
		d.partial = d.partial[i+1:]
	}
	return len(p), nil
}

// Close handles a last line without a newline and the final progress.
func (d *logDecoder) Close() {
	d.mu.Lock()
	defer d.mu.Unlock()
	if len(d.partial) > 0 {
		d.line(d.partial)
		d.partial = nil
	}
	for _, typ := range []int{actBuilds, actCopyPaths} {
		if c := d.counts[typ]; !d.verbose && c[0] > d.reported[typ] {
			d.report(typ, c)
		}
	}
}

func (d *logDecoder) line(raw []byte) {
	body, ok := bytes.CutPrefix(raw, []byte("@nix "))
	var m logMessage
	if !ok || json.Unmarshal(body, &m) != nil {
		d.text.Write(append(raw, '\n'))
		d.show(string(raw) + "\n")
		return
	}
	switch m.Action {
	case "msg":
		d.text.Write([]byte(m.Msg + "\n"))
		switch {
		case d.verbose:
			d.show(m.Msg + "\n")
		case m.Level <= lvlWarn:
			// Nix repeats a failing download's warning on every retry;
			// say it once.
			key := retrying.ReplaceAllString(stripANSI(m.Msg), "")
			if !d.seen[key] {
				d.seen[key] = true
				d.show(m.Msg + "\n")
			}
		}
	case "start":
		d.kinds[m.ID] = m.Type
		if d.verbose && m.Text != "" && m.Level <= lvlInfo {
			d.show(m.Text + "\n")
		}
	case "stop":
		delete(d.kinds, m.ID)
	case "result":
		switch {
		case m.Type == resBuildLogLine && d.verbose && len(m.Fields) > 0:
			var s string
			if json.Unmarshal(m.Fields[0], &s) == nil {
				d.show(s + "\n")
			}
		case m.Type == resProgress && len(m.Fields) >= 2:
			typ := d.kinds[m.ID]
			if typ != actBuilds && typ != actCopyPaths {
				return
			}
			var done, expected, running int64
			if json.Unmarshal(m.Fields[0], &done) != nil || json.Unmarshal(m.Fields[1], &expected) != nil {
				return
			}
			if len(m.Fields) >= 3 {
				_ = json.Unmarshal(m.Fields[2], &running)
			}
			d.counts[typ] = [2]int64{done, expected}
			switch {
			case d.verbose:
			case running > 0 && !d.started[typ]:
				d.started[typ] = true
				d.starting(typ, expected)
			case done > d.reported[typ] && (done == expected || time.Since(d.printed[typ]) >= progressEvery):
				d.report(typ, d.counts[typ])
			}
		}
	}
}

// retrying matches the part of a download warning that changes between
// retries.
var retrying = regexp.MustCompile(`; retrying in \d+ ms$`)

// starting says that the first of expected builds or copies started.
func (d *logDecoder) starting(typ int, expected int64) {
	d.printed[typ] = time.Now()
	if typ == actCopyPaths {
		d.show(fmt.Sprintf("nixlayer: copying %s\n", plural(expected, "store path")))
		return
	}
	d.show(fmt.Sprintf("nixlayer: building %s\n", plural(expected, "derivation")))
}

// report says how many builds or copies are done.
func (d *logDecoder) report(typ int, c [2]int64) {
	d.reported[typ], d.printed[typ] = c[0], time.Now()
	what := "built %d of %s"
	if typ == actCopyPaths {
		what = "copied %d of %s"
	}
	noun := "derivation"
	if typ == actCopyPaths {
		noun = "store path"
	}
	d.show("nixlayer: " + fmt.Sprintf(what, c[0], plural(c[1], noun)) + "\n")
}

// plural is n and noun, with an s for any n but 1.
func plural(n int64, noun string) string {
	if n == 1 {
		return "1 " + noun
	}
	return fmt.Sprintf("%d %ss", n, noun)
}

func (d *logDecoder) show(s string) {
	if d.progress != nil {
		d.progress.Write([]byte(stripANSI(strings.ToValidUTF8(s, "\uFFFD"))))
	}
}
