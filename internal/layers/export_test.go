package layers

// PartitionByAttrs is Partition with the merge rule the planner had before
// it knew the sets: by attributes alone, the large-path split no different
// from other free merges. BenchmarkQuality measures it as a peer.
func PartitionByAttrs(c Catalog, b Budget) (*Partitioning, error) {
	return partition(c, b, nil, byAttrs)
}
