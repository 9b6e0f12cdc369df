package layers

// Glued is a block that the budget made of several signature groups.
type Glued struct {
	// Block is the block's ID.
	Block string `json:"block"`
	// Groups holds the signature of each group glued into the block, in
	// the order of the merges.
	Groups [][]string `json:"groups"`
	// Cost is the sum of the Cost of the block's merges: the bloat
	// expected for the sets. It is 0 when images made of the sets carry
	// none of the block's paths without needing them.
	Cost int64 `json:"cost"`
}

// Glued returns the blocks of p made of several signature groups, in
// block order, each with the groups glued into it, as p.Merges records
// them.
func (p *Partitioning) Glued() []Glued {
	made := map[string]Glued{} // merge result → what went into it
	for _, m := range p.Merges {
		var g Glued
		for k, from := range m.From {
			if part, ok := made[from]; ok {
				g.Groups = append(g.Groups, part.Groups...)
				g.Cost = addSat(g.Cost, part.Cost)
				delete(made, from)
			} else {
				g.Groups = append(g.Groups, m.FromAttrs[k])
			}
		}
		g.Cost = addSat(g.Cost, m.Cost)
		made[m.Into] = g
	}
	var out []Glued
	for _, b := range p.Blocks {
		if g, ok := made[b.ID]; ok {
			g.Block = b.ID
			out = append(out, g)
		}
	}
	return out
}

// MaxBlocks is the number of blocks p's budget leaves room for:
// MaxLayers-Reserved-1, one store layer being kept for what is outside
// the catalog.
func (p *Partitioning) MaxBlocks() int { return p.Budget.storeLayers() - 1 }

// Headroom is the number of signature groups the catalog may gain before
// the budget forces a merge: MaxBlocks less Groups, negative when p
// merged.
func (p *Partitioning) Headroom() int { return p.MaxBlocks() - p.Groups }
