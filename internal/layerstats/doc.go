// Package layerstats reports how a catalog fits the layer budget, for
// people: the signature groups, the budget, the merges and the headroom
// that nixlayer sets --stats prints, and the lines a build summary adds
// when the budget glued groups together. It is apart from internal/report
// so that the Dagger module, which prints the sets, does not import the
// planner.
package layerstats
