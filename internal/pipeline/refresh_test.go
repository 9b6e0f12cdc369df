package pipeline

import (
	"slices"
	"testing"

	"github.com/google/go-cmp/cmp"
)

// TestRecordRefresh checks that --refresh asks Nix whatever a sound
// record says, and records the answer anew, which later builds then
// trust.
func TestRecordRefresh(t *testing.T) {
	f := newFake(t)
	first, _ := f.build(t)
	sound := f.misrecord(t)

	f.im.Reevaluate = true
	refreshed, calls := f.build(t)
	if !evaluated(calls) || refreshed.Digest != first.Digest {
		t.Errorf("--refresh called nix %v and gave %s, want an evaluation and %s", calls, refreshed.Digest, first.Digest)
	}
	if diff := cmp.Diff(sound, f.record(t)); diff != "" {
		t.Errorf("the record after --refresh (-Nix's answer +recorded):\n%s", diff)
	}
	f.im.Reevaluate = false
	if again, calls := f.build(t); !slices.Equal(calls, []string{"path-info"}) || again.Digest != first.Digest {
		t.Errorf("after --refresh, a build called nix %v and gave %s, want path-info alone and %s", calls, again.Digest, first.Digest)
	}
}
