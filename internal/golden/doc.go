// Package golden compares a test's output with a golden file under the
// package's testdata directory, and rewrites the file when the test runs
// with the package's -update flag. Each test package keeps its own flag:
//
//	var update = flag.Bool("update", false, "rewrite golden files")
//
//	func TestReport(t *testing.T) {
//		golden.Check(t, "report.golden.md", render(), *update)
//	}
package golden
