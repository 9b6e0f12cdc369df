package layers

import (
	"testing"

	"github.com/google/go-cmp/cmp"
)

// TestGlued follows the merges of the worked example: at 7 layers, three
// merges make a block of two groups and one of three; at 6, glibc joins
// libffi and openssl.
func TestGlued(t *testing.T) {
	tests := []struct {
		maxLayers int
		want      [][][]string
		headroom  int
	}{
		{100, nil, 90},
		{7, [][][]string{
			{{"git", "python312"}, {"curl", "git", "python312"}},
			{{"curl"}, {"curl", "git"}, {"jq"}},
		}, -3},
		{6, [][][]string{
			{{"curl", "git", "jq", "python312"}, {"git", "python312"}, {"curl", "git", "python312"}},
			{{"curl"}, {"curl", "git"}, {"jq"}},
		}, -4},
	}
	for _, tt := range tests {
		p, err := Partition(docCatalog(t), Budget{MaxLayers: tt.maxLayers, Reserved: 1, LargePath: 64}, docSets...)
		if err != nil {
			t.Fatal(err)
		}
		glued := p.Glued()
		var got [][][]string
		for _, g := range glued {
			got = append(got, g.Groups)
			if g.Cost != 0 {
				t.Errorf("%d layers: block %v cost %d; every merge is free for the sets", tt.maxLayers, g.Groups, g.Cost)
			}
		}
		if diff := cmp.Diff(tt.want, got); diff != "" {
			t.Errorf("%d layers: glued groups (-want +got):\n%s", tt.maxLayers, diff)
		}
		if p.Headroom() != tt.headroom || p.MaxBlocks() != tt.maxLayers-2 {
			t.Errorf("%d layers: headroom %d of %d blocks, want %d of %d", tt.maxLayers, p.Headroom(), p.MaxBlocks(), tt.headroom, tt.maxLayers-2)
		}
	}
}
