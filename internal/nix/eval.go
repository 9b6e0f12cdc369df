package nix

import (
	"context"
	"encoding/json"
	"fmt"
)

// Eval runs "nix eval --json" with FlakeArgs and args on installable and
// decodes the result into out, as [json.Unmarshal] does; a nil out discards
// it. An empty installable is left out, for args such as "--expr", "1 + 1".
func (d *Driver) Eval(ctx context.Context, installable string, out any, args ...string) error {
	data, err := d.Run(ctx, d.EvalArgs(installable, args...)...)
	if err != nil {
		return err
	}
	if out == nil {
		return nil
	}
	if err := json.Unmarshal(data, out); err != nil {
		what := "nix eval output"
		if installable != "" {
			what += " of " + installable
		}
		return fmt.Errorf("decoding %s: %w", what, err)
	}
	return nil
}
