package examples_test

import (
	"bufio"
	"regexp"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// words splits a shell command line into words, as a POSIX shell would
// before expansion: white space separates words, quotes group them and are
// removed, a backslash escapes the next character. The operators |, ||, &&,
// ;, < and > end a word and are words of their own, and an unquoted word
// that starts with # ends the line, as a comment.
func words(line string) []string {
	var out []string
	var w strings.Builder
	inWord := false
	flush := func() {
		if inWord {
			out = append(out, w.String())
			w.Reset()
			inWord = false
		}
	}
	for i := 0; i < len(line); i++ {
		c := line[i]
		switch {
		case c == ' ' || c == '\t' || c == '\n':
			flush()
		case c == '#' && !inWord:
			return out
		case c == '\\' && i+1 < len(line):
			i++
			w.WriteByte(line[i])
			inWord = true
		case c == '\'':
			end := strings.IndexByte(line[i+1:], '\'')
			if end < 0 {
				end = len(line) - i - 1
			}
			w.WriteString(line[i+1 : i+1+end])
			i += end + 1
			inWord = true
		case c == '"':
			for i++; i < len(line) && line[i] != '"'; i++ {
				if line[i] == '\\' && i+1 < len(line) && strings.IndexByte(`"\$`+"`", line[i+1]) >= 0 {
					i++
				}
				w.WriteByte(line[i])
			}
			inWord = true
		case strings.IndexByte("|&;<>", c) >= 0:
			flush()
			op := string(c)
			if i+1 < len(line) && (c == '|' || c == '&') && line[i+1] == c {
				op += op[:1]
				i++
			}
			out = append(out, op)
		default:
			w.WriteByte(c)
			inWord = true
		}
	}
	flush()
	return out
}

// isOperator reports whether w is one of the operators words splits off.
func isOperator(w string) bool {
	switch w {
	case "|", "||", "&", "&&", ";", "<", ">":
		return true
	}
	return false
}

// commands splits a line's words into simple commands at the operators.
func commands(line string) [][]string {
	var out [][]string
	var cur []string
	for _, w := range words(line) {
		if isOperator(w) {
			if len(cur) > 0 {
				out = append(out, cur)
			}
			cur = nil
			continue
		}
		cur = append(cur, w)
	}
	if len(cur) > 0 {
		out = append(out, cur)
	}
	return out
}

// shellBlockInfo matches the info strings of Markdown code blocks that hold
// shell commands: none, or a shell's name.
var shellBlockInfo = regexp.MustCompile(`^(|sh|bash|shell|console)$`)

// shellLines returns the lines of the shell code blocks of a Markdown
// document, with each line continued by a trailing backslash joined to the
// next, a leading "$ " prompt removed, and the line number each starts on.
func shellLines(markdown string) []numberedLine {
	var out []numberedLine
	inBlock, shell := false, false
	var pending strings.Builder
	start := 0
	sc := bufio.NewScanner(strings.NewReader(markdown))
	for n := 1; sc.Scan(); n++ {
		line := sc.Text()
		if fence := strings.TrimSpace(line); strings.HasPrefix(fence, "```") {
			inBlock = !inBlock
			shell = inBlock && shellBlockInfo.MatchString(strings.TrimSpace(strings.TrimPrefix(fence, "```")))
			continue
		}
		if !inBlock || !shell {
			continue
		}
		if pending.Len() == 0 {
			start = n
		}
		if cont, ok := strings.CutSuffix(line, `\`); ok {
			pending.WriteString(cont + " ")
			continue
		}
		pending.WriteString(line)
		text := strings.TrimPrefix(strings.TrimSpace(pending.String()), "$ ")
		pending.Reset()
		if text != "" {
			out = append(out, numberedLine{start, text})
		}
	}
	return out
}

// numberedLine is a line of a file and its number.
type numberedLine struct {
	n    int
	text string
}

func TestWords(t *testing.T) {
	tests := []struct {
		line string
		want []string
	}{
		{`dagger call closure --sets base,python`, []string{"dagger", "call", "closure", "--sets", "base,python"}},
		{`a "b c" 'd e' f\ g`, []string{"a", "b c", "d e", "f g"}},
		{`--username "$GITHUB_ACTOR" --x="a \"q\""`, []string{"--username", "$GITHUB_ACTOR", `--x=a "q"`}},
		{`.ci/setup && go run ./cmd/nixlayer sets # list them`, []string{".ci/setup", "&&", "go", "run", "./cmd/nixlayer", "sets"}},
		{`docker load < runtime.tar|jq . || true;x`, []string{"docker", "load", "<", "runtime.tar", "|", "jq", ".", "||", "true", ";", "x"}},
		{`echo a#b`, []string{"echo", "a#b"}},
	}
	for _, tt := range tests {
		if diff := cmp.Diff(tt.want, words(tt.line)); diff != "" {
			t.Errorf("words(%q) (-want +got):\n%s", tt.line, diff)
		}
	}
	got := commands(`.ci/setup && nixlayer sets | head -1`)
	if diff := cmp.Diff([][]string{{".ci/setup"}, {"nixlayer", "sets"}, {"head", "-1"}}, got); diff != "" {
		t.Errorf("commands (-want +got):\n%s", diff)
	}
}

func TestShellLines(t *testing.T) {
	md := "text\n```sh\n$ nixlayer sets\n\ndagger call a \\\n  --b c\n```\n```go\nnixlayer.X()\n```\n```\nplain\n```\n"
	want := []numberedLine{{3, "nixlayer sets"}, {5, "dagger call a    --b c"}, {12, "plain"}}
	if diff := cmp.Diff(want, shellLines(md), cmp.AllowUnexported(numberedLine{})); diff != "" {
		t.Errorf("shellLines (-want +got):\n%s", diff)
	}
}
