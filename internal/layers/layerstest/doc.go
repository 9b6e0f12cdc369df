// Package layerstest checks the layer plans of package layers against the
// properties they promise, for any catalog: the synthetic one of
// [Synthetic] and the one of real size of [Debian] in the tests of
// layers, or a catalog built by Nix in an integration test.
//
// [CheckPlan] checks one plan. [CheckEveryCombination] plans and checks
// the image of every combination of a catalog's sets, with extra roots
// outside the catalog, and returns [Stats] such as the most layers and the
// most bloat of any image; [CheckCombinations] does so for a bounded
// number of them. An integration test that has recorded a real catalog
// can run
//
//	var c layers.Catalog
//	if err := json.Unmarshal(data, &c); err != nil {
//		t.Fatal(err)
//	}
//	st := layerstest.CheckCombinations(t, c, sets, layers.Budget{Reserved: 1}, 8192)
//	t.Logf("%d blocks, at most %d layers and %d bytes of bloat", st.Blocks, st.MaxLayers, st.MaxBloat)
//
// where sets maps each set name to its catalog attributes, such as
// [BuiltinSets]. [NewImage] makes the image of some catalog attributes and
// [Extra] roots.
//
// [Measure] tells what a partitioning costs the images of a [Population]
// of combinations of sets and a host that pulls the [Typical] images two
// at a time: the bloat over all images and of the worst, and the bytes
// pulled over the least needed. [CheckSetBloat] and [CheckLargeAlone]
// check that a partitioning by [BuildSets] gives no image made of the sets
// any bloat and keeps large paths alone.
package layerstest
