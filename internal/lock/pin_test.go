package lock_test

import (
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/nixlayer/nixlayer/internal/lock"
)

func TestPinReport(t *testing.T) {
	tests := []struct {
		name string
		pin  lock.Pin
		want string
	}{
		{"shipped", shippedPin, `type: github
repo: NixOS/nixpkgs
ref: nixos-26.05-small
rev: 74cc63f702f7d60a557e152a57b40fb1fd0f72ac
lastModified: 2026-07-08T22:16:59Z
narHash: sha256-0XnckG4ZhBmAsYa9mLuEIFowBG0fDGPLHduQGsbMS4A=
`},
		{"no owner or ref", lock.Pin{Type: "git", Rev: shippedPin.Rev, NarHash: shippedPin.NarHash, LastModified: 1}, `type: git
rev: 74cc63f702f7d60a557e152a57b40fb1fd0f72ac
lastModified: 1970-01-01T00:00:01Z
narHash: sha256-0XnckG4ZhBmAsYa9mLuEIFowBG0fDGPLHduQGsbMS4A=
`},
	}
	for _, tt := range tests {
		if diff := cmp.Diff(tt.want, tt.pin.Report()); diff != "" {
			t.Errorf("%s: Report() (-want +got):\n%s", tt.name, diff)
		}
	}
}

func TestPinTimeIsUTC(t *testing.T) {
	local := time.Local
	time.Local = time.FixedZone("UTC+5", 5*3600)
	defer func() { time.Local = local }()
	got := lock.Pin{LastModified: 1783549019}.Time()
	if got.Location() != time.UTC || got.Format(time.RFC3339) != "2026-07-08T22:16:59Z" {
		t.Errorf("Time() = %v, want 2026-07-08T22:16:59Z in UTC", got)
	}
}
