package container_test

import (
	"go/parser"
	"go/token"
	"slices"
	"strings"
	"testing"

	"github.com/nixlayer/nixlayer/internal/container"
	"github.com/nixlayer/nixlayer/internal/kind"
)

// TestPlanDoc checks the two plans that the package's documentation
// shows, line by line, against the plans themselves: the exec (every
// argument), the mounts (kind and path, in order), the directories made,
// the working directory and the output. "…" in the documentation stands
// for the rest of a value.
func TestPlanDoc(t *testing.T) {
	f, err := parser.ParseFile(token.NewFileSet(), "doc.go", nil, parser.ParseComments|parser.PackageClauseOnly)
	if err != nil {
		t.Fatal(err)
	}
	var blocks [][]string
	prev := false
	for _, l := range strings.Split(f.Doc.Text(), "\n") {
		in := strings.HasPrefix(l, "\t")
		if in && !prev {
			blocks = append(blocks, nil)
		}
		if in {
			blocks[len(blocks)-1] = append(blocks[len(blocks)-1], strings.TrimPrefix(l, "\t"))
		}
		prev = in
	}
	amd64 := mustPlatform(t, "linux/amd64")
	helper, err := container.Helper(container.DefaultNixImage, container.Build{Kind: kind.Runtime, Selection: container.Selection{Sets: []string{"base"}, Platform: amd64}}, "building")
	if err != nil {
		t.Fatal(err)
	}
	plans := []container.Plan{container.GoBuild(container.DefaultGoImage, amd64, container.HelperProgram), helper}
	if len(blocks) != len(plans) {
		t.Fatalf("the documentation shows %d plans, want %d", len(blocks), len(plans))
	}
	for i, p := range plans {
		mounts := 0
		for _, line := range blocks[i] {
			key, rest, _ := strings.Cut(line, " ")
			rest = strings.TrimSpace(rest)
			fields := strings.Fields(rest)
			var ok bool
			switch key {
			case "image":
				ok = strings.HasPrefix(p.Image, strings.TrimSuffix(fields[0], "…"))
			case "exec":
				ok = rest == strings.Join(p.Argv, " ")
			case "mount":
				ok = mounts < len(p.Mounts) && fields[0] == string(p.Mounts[mounts].Kind) && fields[1] == p.Mounts[mounts].Path
				mounts++
			case "mkdir":
				ok = slices.Equal(fields, p.Dirs)
			case "workdir":
				ok = rest == p.Workdir
			case "output":
				ok = rest == string(p.Output.Kind)+" "+p.Output.Path
			case "env":
				ok = true
				for _, e := range fields {
					name, _, _ := strings.Cut(e, "=")
					ok = ok && (e == "…" || slices.ContainsFunc(p.Env, func(v container.Env) bool { return v.Name == name }))
				}
			default:
				t.Errorf("plan %d: %q is no line of a plan", i+1, line)
				continue
			}
			if !ok {
				t.Errorf("plan %d: the documentation's %q is not the plan's (%s)", i+1, line, strings.Join(p.Argv, " "))
			}
		}
		if mounts != len(p.Mounts) {
			t.Errorf("plan %d: the documentation shows %d mounts, the plan has %d", i+1, mounts, len(p.Mounts))
		}
	}
}
