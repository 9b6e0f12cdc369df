package report

import (
	"encoding/json"
	"fmt"
	"io"
	"strings"
	"text/tabwriter"

	"github.com/nixlayer/nixlayer/internal/flake"
	"github.com/nixlayer/nixlayer/internal/kind"
	"github.com/nixlayer/nixlayer/internal/nix"
	"github.com/nixlayer/nixlayer/internal/sets"
)

// Sets writes the catalog: one block per set with its description and
// attributes, in canonical order.
func Sets(w io.Writer, c sets.Catalog) error {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', 0)
	for _, s := range c.Sets() {
		fmt.Fprintf(tw, "%s\t%s\n", s.Name, s.Description)
		fmt.Fprintf(tw, "\t  %s\n", strings.Join(s.Attrs, " "))
	}
	if err := tw.Flush(); err != nil {
		return err
	}
	_, err := fmt.Fprintf(w, "\nEvery devcontainer also has, whatever its sets: %s (what an editor needs to install and run its server, vscodeCompat's attributes, among them); on a base image with its own FHS loader, the base's loader and libraries are the ones programs built for other distributions find.\n",
		strings.Join(kind.Devcontainer.Required(), " "))
	return err
}

// Closure writes one line per store path, with its NAR size, then the
// number of paths and their total size.
func Closure(w io.Writer, c *nix.Closure) error {
	for _, p := range c.Paths() {
		info, _ := c.Lookup(p)
		if _, err := fmt.Fprintf(w, "%10s  %s\n", Size(info.NarSize), p); err != nil {
			return err
		}
	}
	_, err := fmt.Fprintf(w, "%d paths, %s\n", c.Len(), Size(c.Total()))
	return err
}

// ClosureDoc is the JSON form of a closure report.
type ClosureDoc struct {
	Sets     []string        `json:"sets"`
	Packages []flake.Package `json:"packages"`
	Paths    []nix.PathInfo  `json:"paths"`
	Total    int64           `json:"totalNarSize"`
}

// NewClosureDoc gathers a closure report.
func NewClosureDoc(sel sets.Selection, plan *flake.Plan, c *nix.Closure) ClosureDoc {
	doc := ClosureDoc{Sets: sel.Sets, Packages: plan.Packages, Paths: []nix.PathInfo{}, Total: c.Total()}
	if doc.Sets == nil {
		doc.Sets = []string{}
	}
	for _, p := range c.Paths() {
		info, _ := c.Lookup(p)
		doc.Paths = append(doc.Paths, info)
	}
	return doc
}

// JSON writes v as indented JSON.
func JSON(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(v)
}

// Size formats a byte count in binary units, as "44.6 MiB".
func Size(n int64) string {
	const unit = 1024
	if n < unit {
		return fmt.Sprintf("%d B", n)
	}
	div, exp := int64(unit), 0
	for m := n / unit; m >= unit; m /= unit {
		div *= unit
		exp++
	}
	return fmt.Sprintf("%.1f %ciB", float64(n)/float64(div), "KMGTPE"[exp])
}
