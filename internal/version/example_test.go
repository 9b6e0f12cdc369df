package version_test

import (
	"fmt"

	"github.com/nixlayer/nixlayer/internal/version"
)

func Example() {
	fmt.Println(version.Split("2.39-52"))
	fmt.Println(version.Compare("2.3a", "2.3.1"), version.Compare("1.0pre1", "1.0"))
	for _, p := range [][2]string{
		{"3.11.2", "3.12.0"},
		{"1.1.1w", "1.1.1x"},
		{"unstable-2024-01-01", "unstable-2024-02-01"},
		{"10", "9"},
	} {
		fmt.Printf("%s → %s: %s\n", p[0], p[1], version.Classify(p[0], p[1]))
	}
	// Output:
	// [2 39 52]
	// -1 -1
	// 3.11.2 → 3.12.0: minor
	// 1.1.1w → 1.1.1x: patch
	// unstable-2024-01-01 → unstable-2024-02-01: other
	// 10 → 9: downgrade
}
