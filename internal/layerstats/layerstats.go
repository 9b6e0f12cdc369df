package layerstats

import (
	"fmt"
	"io"
	"strings"

	"github.com/nixlayer/nixlayer/internal/layers"
	"github.com/nixlayer/nixlayer/internal/report"
)

// Stats is how a pin's catalog fits the layer budget, for the sets
// that images are made of: what nixlayer sets --stats reports.
type Stats struct {
	System     string `json:"system"`
	Attributes int    `json:"attributes"`
	Paths      int    `json:"paths"`
	Size       int64  `json:"size"`
	// Sets names the sets that merges are priced by (see layers.Set).
	Sets []string `json:"sets"`
	// Signatures counts the signatures by attribute, SetSignatures those
	// by set, and Groups the signature groups, large paths alone.
	Signatures    int `json:"signatures"`
	SetSignatures int `json:"setSignatures"`
	Groups        int `json:"groups"`
	// Budget is the layer budget, MaxBlocks the catalog blocks it leaves
	// room for, Headroom MaxBlocks less Groups.
	Budget    layers.Budget `json:"budget"`
	MaxBlocks int           `json:"maxBlocks"`
	Headroom  int           `json:"headroom"`
	Blocks    int           `json:"blocks"`
	Merges    int           `json:"merges"`
	// Glued holds the blocks made of several groups.
	Glued []layers.Glued `json:"glued"`
}

// New gathers the statistics of the partitioning p of c, for
// system, made with the sets.
func New(system string, c layers.Catalog, p *layers.Partitioning, sets []layers.Set) Stats {
	s := Stats{
		System: system, Attributes: len(c.Roots), Paths: c.Graph.Len(), Size: c.Graph.Total(), Sets: []string{},
		Signatures: p.Signatures, SetSignatures: p.SetSignatures, Groups: p.Groups,
		Budget: p.Budget, MaxBlocks: p.MaxBlocks(), Headroom: p.Headroom(), Blocks: len(p.Blocks), Merges: len(p.Merges),
		Glued: p.Glued(),
	}
	for _, set := range sets {
		s.Sets = append(s.Sets, set.Name)
	}
	if s.Glued == nil {
		s.Glued = []layers.Glued{}
	}
	return s
}

// Write writes the statistics for people: the catalog, its signatures
// and groups, the budget, the merges, the headroom, and a line for each
// block that glues groups together.
func Write(w io.Writer, s Stats) error {
	sets := "none: each attribute counts as a set of its own"
	if len(s.Sets) > 0 {
		sets = fmt.Sprintf("%d: %s", len(s.Sets), strings.Join(s.Sets, " "))
	}
	lines := [][2]string{
		{"catalog", fmt.Sprintf("%d attributes for %s: %d store paths, %s", s.Attributes, s.System, s.Paths, report.Size(s.Size))},
		{"sets", sets},
		{"signatures", fmt.Sprintf("%d by attribute, %d by set", s.Signatures, s.SetSignatures)},
		{"groups", fmt.Sprintf("%d: a signature's paths, with each path of %s or more alone", s.Groups, report.Size(s.Budget.LargePath))},
		{"budget", fmt.Sprintf("%d layers, %d reserved and 1 for paths outside the catalog: room for %d catalog blocks", s.Budget.MaxLayers, s.Budget.Reserved, s.MaxBlocks)},
		{"merges", Merges(s.Merges, s.Glued)},
	}
	if s.Headroom >= 0 {
		lines = append(lines, [2]string{"headroom", fmt.Sprintf("%d more groups fit before a merge", s.Headroom)})
	} else {
		lines = append(lines, [2]string{"headroom", fmt.Sprintf("%d: %d groups for %d blocks", s.Headroom, s.Groups, s.MaxBlocks)})
	}
	for _, g := range s.Glued {
		lines = append(lines, [2]string{"glued", GluedGroups(g)})
	}
	for _, l := range lines {
		if _, err := fmt.Fprintf(w, "%-10s  %s\n", l[0], l[1]); err != nil {
			return err
		}
	}
	return nil
}

// GluedLines are the lines a build summary adds, as label and text, when
// the layer budget glued groups of the catalog together: a warning that
// says how many groups there are for how many blocks, then the groups of
// each glued block. They are none when nothing was glued.
func GluedLines(groups, headroom int, glued []layers.Glued) [][2]string {
	if len(glued) == 0 {
		return nil
	}
	lines := [][2]string{{"warning", fmt.Sprintf("the catalog has %d signature groups for the %d blocks of the layer budget; merges: %s",
		groups, groups+headroom, Merges(-headroom, glued))}}
	for _, g := range glued {
		lines = append(lines, [2]string{"glued", GluedGroups(g)})
	}
	return lines
}

// Merges says how many merges glued how many blocks, and whether images
// made of the sets carry bloat for them.
func Merges(n int, glued []layers.Glued) string {
	if n == 0 {
		return "none"
	}
	var costly int
	var cost int64
	for _, g := range glued {
		if g.Cost > 0 {
			costly++
			cost += g.Cost
		}
	}
	s := fmt.Sprintf("%d, into %d blocks", n, len(glued))
	if costly == 0 {
		return s + ", none with bloat for images made of the sets"
	}
	return fmt.Sprintf("%s, %d with bloat for images made of the sets (expected %s)", s, costly, report.Size(cost))
}

// GluedGroups names the groups of a glued block, such as "{nix-direnv} +
// {direnv, nix, nix-direnv}", and says whether images made of the sets
// carry bloat for it.
func GluedGroups(g layers.Glued) string {
	var parts []string
	for _, attrs := range g.Groups {
		parts = append(parts, Signature(attrs))
	}
	s := strings.Join(parts, " + ")
	if g.Cost > 0 {
		s += fmt.Sprintf(" (expected bloat %s)", report.Size(g.Cost))
	}
	return s
}

// Signature names a signature for people: its attributes in braces, the
// first four of more than five.
func Signature(attrs []string) string {
	if len(attrs) > 5 {
		return fmt.Sprintf("{%s, and %d more}", strings.Join(attrs[:4], ", "), len(attrs)-4)
	}
	return "{" + strings.Join(attrs, ", ") + "}"
}
