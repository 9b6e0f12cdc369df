package changes

import (
	"fmt"
	"slices"
	"sort"
	"strings"

	"github.com/nixlayer/nixlayer/internal/report"
	"github.com/nixlayer/nixlayer/internal/scanner"
)

// PullRequestLimit is the most characters GitHub takes in a pull
// request's body.
const PullRequestLimit = 65536

// noteRoom is kept free under the limit for the note that says what was
// cut.
const noteRoom = 400

// Markdown writes r for a pull request's body, in at most limit bytes
// (so at most limit characters): the head (the pins, the counts, the bytes
// to pull again per image), then a <details> block per table. When the
// whole does not fit, the last block that fits in part keeps as many rows
// as fit, the blocks after it are left out, and a note at the end says
// what was cut.
func Markdown(r *Report, limit int) string {
	var b strings.Builder
	b.WriteString(head(r))
	var cut []string
	for _, blk := range blocks(r) {
		if len(cut) > 0 {
			cut = append(cut, blk.title(len(blk.rows)))
			continue
		}
		room := limit - noteRoom - b.Len()
		if s := blk.render(len(blk.rows)); len(s) <= room {
			b.WriteString(s)
			continue
		}
		// The most rows that fit: render(k) grows with k.
		k := sort.Search(len(blk.rows), func(k int) bool { return len(blk.render(k+1)) > room })
		if k > 0 {
			b.WriteString(blk.render(k))
			cut = append(cut, fmt.Sprintf("%d of the %d rows of %q", len(blk.rows)-k, len(blk.rows), blk.name))
		} else {
			cut = append(cut, blk.title(len(blk.rows)))
		}
	}
	if len(cut) > 0 {
		fmt.Fprintf(&b, "\n_Cut to stay under GitHub's limit of %d characters: %s. changes.json has everything._\n", PullRequestLimit, strings.Join(cut, "; "))
	}
	return b.String()
}

// Summary is a few lines of plain text for a terminal: the pins, the
// counts, and the bytes to pull again per image.
func Summary(r *Report) string {
	var b strings.Builder
	if !r.Changed {
		fmt.Fprintf(&b, "nixpkgs is already at the newest revision: %s\n", pinText(r.Old))
		return b.String()
	}
	fmt.Fprintf(&b, "nixpkgs: %s → %s\n", pinText(r.Old), pinText(r.New))
	fmt.Fprintf(&b, "versions: %s\n", classCounts(r.Versions))
	fmt.Fprintf(&b, "attributes: added %s, removed %s; %d rebuilt with the same version\n", attrCount(r.Added, false), attrCount(r.Removed, false), len(r.Rebuilt))
	width := 0
	for _, im := range r.Images {
		width = max(width, len(im.Name))
	}
	for _, im := range r.Images {
		fmt.Fprintf(&b, "%-*s  %s\n", width, im.Name, pullText(im))
	}
	if v := r.Vulnerabilities; v != nil {
		fmt.Fprintf(&b, "vulnerabilities: %s\n", vulnText(v))
	}
	return b.String()
}

// head is the part of the body that is never cut.
func head(r *Report) string {
	var b strings.Builder
	if !r.Changed {
		fmt.Fprintf(&b, "## nixpkgs is already at the newest revision\n\n%s, as flake.lock pins it.\n", pinMarkdown(r.Old))
		return b.String()
	}
	fmt.Fprintf(&b, "## nixpkgs: %s → %s\n\n", pinMarkdown(r.Old), pinMarkdown(r.New))
	b.WriteString("| | |\n|---|---|\n")
	fmt.Fprintf(&b, "| Version changes | %s |\n", classCounts(r.Versions))
	fmt.Fprintf(&b, "| Added | %s |\n", attrCount(r.Added, true))
	fmt.Fprintf(&b, "| Removed | %s |\n", attrCount(r.Removed, true))
	fmt.Fprintf(&b, "| Rebuilt, same version | %d |\n", len(r.Rebuilt))
	if v := r.Vulnerabilities; v != nil {
		fmt.Fprintf(&b, "| Vulnerabilities | %s |\n", vulnText(v))
	}
	if len(r.Images) > 0 {
		b.WriteString("\n| Image | Sets | Store layers to pull | Bytes to pull |\n|---|---|---|---|\n")
		for _, im := range r.Images {
			layers, bytes := fmt.Sprintf("%d of %d", im.NewLayers, im.Layers), report.Size(im.Bytes)
			if im.Unplanned != "" {
				layers, bytes = "—", im.Unplanned
			}
			fmt.Fprintf(&b, "| %s | %s | %s | %s |\n", im.Name, strings.Join(im.Sets, ", "), layers, bytes)
		}
		b.WriteString("\nBytes to pull: the compressed store layers of the new image that the old one lacks; a store path that the update keeps is the same blob. " +
			"Each image's customisation layer (its users, its configuration and, in a devcontainer, the Nix database) carries the pin's time, and is pulled again too.\n")
	}
	return b.String()
}

// block is one <details> block: a table of rows.
type block struct {
	name   string
	header string
	rows   []string
}

func (blk block) title(n int) string { return fmt.Sprintf("%s (%d)", blk.name, n) }

// render renders the block with its first k rows.
func (blk block) render(k int) string {
	var b strings.Builder
	fmt.Fprintf(&b, "\n<details><summary>%s</summary>\n\n%s", blk.title(len(blk.rows)), blk.header)
	for _, r := range blk.rows[:k] {
		b.WriteString(r)
	}
	if k < len(blk.rows) {
		fmt.Fprintf(&b, "\n… and %d more, in changes.json.\n", len(blk.rows)-k)
	}
	b.WriteString("\n</details>\n")
	return b.String()
}

// blocks are r's tables, in order, without the empty ones.
func blocks(r *Report) []block {
	if !r.Changed {
		return nil
	}
	var out []block
	add := func(b block) {
		if len(b.rows) > 0 {
			out = append(out, b)
		}
	}
	vb := block{name: "Version changes", header: "| Attribute | Package | Old | New | Class |\n|---|---|---|---|---|\n"}
	for _, v := range r.Versions {
		vb.rows = append(vb.rows, fmt.Sprintf("| `%s` | %s | %s | %s | %s |\n", v.Attr, cell(v.Pname), cell(v.Old), cell(v.New), v.Class))
	}
	add(vb)
	ab := block{name: "Added and removed attributes", header: "| Attribute | Version | Change |\n|---|---|---|\n"}
	for _, a := range r.Added {
		ab.rows = append(ab.rows, fmt.Sprintf("| `%s` | %s | added (%s at the old pin) |\n", a.Attr, cell(a.Version), a.Reason))
	}
	for _, a := range r.Removed {
		ab.rows = append(ab.rows, fmt.Sprintf("| `%s` | %s | removed (%s at the new pin) |\n", a.Attr, cell(a.Version), a.Reason))
	}
	add(ab)
	rb := block{name: "Rebuilt with the same version", header: "| Attribute |\n|---|\n"}
	for _, a := range r.Rebuilt {
		rb.rows = append(rb.rows, fmt.Sprintf("| `%s` |\n", a))
	}
	add(rb)
	sb := block{name: "Closure size per set", header: "| Set | Old | New | Change |\n|---|---|---|---|\n"}
	for _, s := range r.Sets {
		sb.rows = append(sb.rows, fmt.Sprintf("| %s | %s | %s | %s |\n", s.Set, report.Size(s.Old), report.Size(s.New), signedSize(s.Delta)))
	}
	add(sb)
	if v := r.Vulnerabilities; v != nil {
		cb := block{name: "Vulnerabilities by severity", header: "| Severity | Old | New |\n|---|---|---|\n"}
		for _, s := range slices.Backward(scanner.Levels()) {
			if v.Old[s] > 0 || v.New[s] > 0 {
				cb.rows = append(cb.rows, fmt.Sprintf("| %s | %d | %d |\n", s, v.Old[s], v.New[s]))
			}
		}
		add(cb)
		for _, part := range []struct {
			name string
			fs   []Finding
		}{{"Vulnerabilities fixed", v.Fixed}, {"Vulnerabilities introduced", v.Introduced}} {
			fb := block{name: part.name, header: "| ID | Severity | Attribute | Package | Version |\n|---|---|---|---|---|\n"}
			for _, f := range part.fs {
				fb.rows = append(fb.rows, fmt.Sprintf("| %s | %s | `%s` | %s | %s |\n", cell(f.ID), f.Severity, f.Attr, cell(f.Package), cell(f.Version)))
			}
			add(fb)
		}
	}
	return out
}

// pinMarkdown names a pin: its branch, its commit and its date.
func pinMarkdown(p Pin) string {
	s := fmt.Sprintf("`%s` (%s)", p.Short(), p.Time().Format("2006-01-02"))
	if p.Ref != "" {
		s = "`" + p.Ref + "` " + s
	}
	return s
}

func pinText(p Pin) string { return strings.ReplaceAll(pinMarkdown(p), "`", "") }

// classCounts says how many versions changed, by class.
func classCounts(vs []VersionChange) string {
	if len(vs) == 0 {
		return "none"
	}
	n := ClassCounts(vs)
	var parts []string
	for _, c := range ClassOrder {
		if n[c] > 0 {
			parts = append(parts, fmt.Sprintf("%d %s", n[c], c))
		}
	}
	return fmt.Sprintf("%d: %s", len(vs), strings.Join(parts, ", "))
}

// attrCount counts attributes, naming the first few.
func attrCount(as []Attr, code bool) string {
	if len(as) == 0 {
		return "none"
	}
	const named = 10
	var names []string
	for _, a := range as[:min(len(as), named)] {
		if code {
			names = append(names, "`"+a.Attr+"`")
		} else {
			names = append(names, a.Attr)
		}
	}
	if len(as) > named {
		names = append(names, fmt.Sprintf("and %d more", len(as)-named))
	}
	return fmt.Sprintf("%d (%s)", len(as), strings.Join(names, ", "))
}

// pullText says what an image's users pull again.
func pullText(im Image) string {
	if im.Unplanned != "" {
		return im.Unplanned
	}
	return fmt.Sprintf("%s to pull again: %d of %d store layers", report.Size(im.Bytes), im.NewLayers, im.Layers)
}

// vulnText says what the update does to the findings.
func vulnText(v *Vulnerabilities) string {
	return fmt.Sprintf("%d fixed, %d introduced; at or above %s: %d → %d", len(v.Fixed), len(v.Introduced), v.Threshold, v.AtOrAbove(v.Old), v.AtOrAbove(v.New))
}

// signedSize formats a change of size, with its sign.
func signedSize(n int64) string {
	switch {
	case n > 0:
		return "+" + report.Size(n)
	case n < 0:
		return "-" + report.Size(-n)
	}
	return "0 B"
}

// cell makes text safe in a table cell.
func cell(s string) string {
	if s == "" {
		return "—"
	}
	return strings.NewReplacer("|", `\|`, "\n", " ", "<", "&lt;").Replace(s)
}
