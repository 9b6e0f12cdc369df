package nix

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"sync"
	"time"
)

// Config is what nixlayer reads of Nix's configuration, as Nix resolves
// it (nix.conf, NIX_CONFIG, and the driver's --option flags).
type Config struct {
	// System is the machine's Nix system, such as "x86_64-linux".
	System string
	// ExtraPlatforms are the other systems Nix builds for here.
	ExtraPlatforms []string
	// Substituters are the binary caches Nix asks before it builds.
	Substituters []string
}

// Platforms are the systems Nix builds for here: System and
// ExtraPlatforms.
func (c Config) Platforms() []string { return append([]string{c.System}, c.ExtraPlatforms...) }

// Config reads Nix's configuration with "nix config show --json" (Nix 2.20
// and later), or "nix show-config --json", its older name: each setting
// is an object whose "value" is the setting's.
func (d *Driver) Config(ctx context.Context) (Config, error) {
	quiet := *d
	quiet.Progress = nil
	out, err := quiet.Run(ctx, "config", "show", "--json")
	if _, failed := errors.AsType[*CommandError](err); failed && ctx.Err() == nil {
		out, err = quiet.Run(ctx, "show-config", "--json")
	}
	if err != nil {
		return Config{}, fmt.Errorf("reading Nix's configuration: %w", err)
	}
	var settings map[string]struct {
		Value json.RawMessage `json:"value"`
	}
	if err := json.Unmarshal(out, &settings); err != nil {
		return Config{}, fmt.Errorf("reading Nix's configuration: %w", err)
	}
	var c Config
	for key, dst := range map[string]any{"system": &c.System, "extra-platforms": &c.ExtraPlatforms, "substituters": &c.Substituters} {
		if raw := settings[key].Value; len(raw) > 0 {
			if err := json.Unmarshal(raw, dst); err != nil {
				return Config{}, fmt.Errorf("reading Nix's configuration: %s: %w", key, err)
			}
		}
	}
	return c, nil
}

// ProbeTimeout is how long a substituter has to answer the probe.
const ProbeTimeout = 5 * time.Second

// ProbeSubstituter asks an HTTP binary cache for its nix-cache-info, as
// Nix does first; any answer means it is reachable. Other substituters
// (file://, local stores, ssh://) are not probed.
func ProbeSubstituter(ctx context.Context, client *http.Client, substituter string) error {
	u, err := url.Parse(substituter)
	if err != nil || u.Scheme != "http" && u.Scheme != "https" {
		return nil
	}
	ctx, cancel := context.WithTimeout(ctx, ProbeTimeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodHead, strings.TrimSuffix(substituter, "/")+"/nix-cache-info", nil)
	if err != nil {
		return err
	}
	resp, err := client.Do(req)
	if err != nil {
		return err
	}
	resp.Body.Close()
	return nil
}

// A SubstituterProbe, set on a Driver, probes Nix's substituters once,
// before the first command that builds, and makes that command and every
// later one use only those that answered (--option substituters):
// offline, Nix would otherwise try each unreachable cache for every path
// it builds, waiting seconds in its retries each time. Copies of the
// driver share it.
type SubstituterProbe struct {
	// Client makes the probes; nil means http.DefaultClient.
	Client *http.Client

	once    sync.Once
	args    []string
	dropped []string
}

// Dropped are the substituters the probe found unreachable, each with why.
func (p *SubstituterProbe) Dropped() []string { return p.dropped }

// run probes once, and returns the global flags every command then gets.
func (p *SubstituterProbe) run(ctx context.Context, d *Driver) []string {
	p.once.Do(func() {
		probing := *d
		probing.Probe = nil
		c, err := probing.Config(ctx)
		if err != nil {
			return // Nix reports its own configuration's trouble
		}
		client := p.Client
		if client == nil {
			client = http.DefaultClient
		}
		var keep []string
		for _, s := range c.Substituters {
			if err := ProbeSubstituter(ctx, client, s); err != nil {
				p.dropped = append(p.dropped, fmt.Sprintf("%s (%s)", s, shortReason(err)))
				continue
			}
			keep = append(keep, s)
		}
		if len(p.dropped) == 0 {
			return
		}
		p.args = []string{"--option", "substituters", strings.Join(keep, " ")}
		if d.Progress != nil {
			fmt.Fprintf(d.Progress, "nixlayer: building without the substituters that do not answer: %s\n", strings.Join(p.dropped, ", "))
		}
	})
	return p.args
}

// probeArgs are the flags of the driver's probe for a command, which
// probes first when the command builds.
func (d *Driver) probeArgs(ctx context.Context, command string) []string {
	if d.Probe == nil {
		return nil
	}
	if slices.Contains(buildingCommands, command) {
		return d.Probe.run(ctx, d)
	}
	return d.Probe.args
}

// shortReason is the last part of a network error, such as "connection
// refused" or "no such host".
func shortReason(err error) string {
	msg := err.Error()
	if i := strings.LastIndex(msg, ": "); i >= 0 {
		msg = msg[i+2:]
	}
	return msg
}
