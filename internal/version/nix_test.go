package version

import (
	"bytes"
	"context"
	"encoding/json"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/nixlayer/nixlayer/internal/testenv"
)

// nixExpr evaluates, for a JSON list of [a, b] pairs in the file
// named by the argument file, compareVersions and splitVersion of both.
const nixExpr = `{ file }: map (p: {
  cmp = builtins.compareVersions (builtins.elemAt p 0) (builtins.elemAt p 1);
  split = builtins.splitVersion (builtins.elemAt p 0);
}) (builtins.fromJSON (builtins.readFile file))`

// nixResult is one element of what nixExpr evaluates to.
type nixResult struct {
	Cmp   int      `json:"cmp"`
	Split []string `json:"split"`
}

// TestNixAgrees checks Compare and Split against the nix on PATH: on every
// pair of the tables, in both orders, and on random pairs made of the
// pieces that matter to the rules.
func TestNixAgrees(t *testing.T) {
	store, env := testenv.NixEnv(t)
	testenv.Require(t, "nix-instantiate")

	var in [][2]string
	for _, p := range pairs {
		in = append(in, [2]string{p.old, p.new}, [2]string{p.new, p.old})
	}
	for _, s := range splits {
		in = append(in, [2]string{s.v, s.v})
	}
	in = append(in, randomPairs(3000)...)

	got := evalNix(t, store, env, in)
	if len(got) != len(in) {
		t.Fatalf("nix returned %d results for %d pairs", len(got), len(in))
	}
	bad := 0
	for i, p := range in {
		if c := Compare(p[0], p[1]); c != got[i].Cmp {
			t.Errorf("Compare(%q, %q) = %d, nix says %d", p[0], p[1], c, got[i].Cmp)
			bad++
		}
		if diff := cmp.Diff(got[i].Split, Split(p[0]), cmp.Transformer("nonNil", nonNil)); diff != "" {
			t.Errorf("Split(%q) differs from nix (-nix +go):\n%s", p[0], diff)
			bad++
		}
		if bad > 20 {
			t.Fatal("too many differences")
		}
	}
}

// nonNil makes nil and empty lists equal for the comparison with nix.
func nonNil(s []string) []string {
	if s == nil {
		return []string{}
	}
	return s
}

// evalNix runs nixExpr on the pairs with nix-instantiate, in the isolated
// environment of testenv.NixEnv, and decodes its JSON output.
func evalNix(t *testing.T, store string, env []string, in [][2]string) []nixResult {
	t.Helper()
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	if err := enc.Encode(in); err != nil {
		t.Fatal(err)
	}
	file := filepath.Join(t.TempDir(), "pairs.json")
	if err := os.WriteFile(file, buf.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, "nix-instantiate", "--store", store,
		"--eval", "--json", "--strict", "--expr", nixExpr, "--argstr", "file", file)
	cmd.Env = append(os.Environ(), env...)
	var stdout, stderr bytes.Buffer
	cmd.Stdout, cmd.Stderr = &stdout, &stderr
	if err := cmd.Run(); err != nil {
		t.Fatalf("nix-instantiate: %v\n%s", err, stderr.String())
	}
	var out []nixResult
	if err := json.Unmarshal(stdout.Bytes(), &out); err != nil {
		t.Fatalf("decoding the output of nix-instantiate: %v\n%s", err, stdout.String())
	}
	return out
}

// pieces are what random versions are made of: separators, numbers with
// and without leading zeros and around the 32-bit limit, "pre", other
// words, and bytes on both sides of the digits and of ASCII.
var pieces = []string{
	".", ".", "-", "-", "0", "1", "2", "9", "10", "01", "007", "123",
	"2147483647", "2147483648", "99999999999", "pre", "pre", "a", "b", "rc",
	"alpha", "unstable", "_", "+", "~", "A", "é", "p", "r", "",
}

// randomPairs returns n pairs of random versions, the same in every run.
// Half the pairs are two versions that share a prefix, so that comparisons
// get past the first component.
func randomPairs(n int) [][2]string {
	r := rand.New(rand.NewPCG(1, 2))
	version := func() string {
		var b strings.Builder
		for range r.IntN(7) {
			b.WriteString(pieces[r.IntN(len(pieces))])
		}
		return b.String()
	}
	out := make([][2]string, n)
	for i := range out {
		a, b := version(), version()
		if i%2 == 1 {
			prefix := version()
			a, b = prefix+a, prefix+b
		}
		out[i] = [2]string{a, b}
	}
	return out
}
