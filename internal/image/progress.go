package image

import (
	"fmt"
	"sync"
)

// Stats counts the work of a Builder over all its calls. Bytes are
// uncompressed bytes of tar entries.
type Stats struct {
	PathsCompressed, PathsReused int
	BytesCompressed, BytesReused int64
	LayersComputed, LayersReused int
}

// EventKind is the kind of an Event.
type EventKind int

const (
	// PathCompressing is reported when a store path starts being compressed.
	PathCompressing EventKind = iota + 1
	// PathCompressed is reported when a store path has been compressed.
	PathCompressed
	// PathReused is reported for a store path found in the cache.
	PathReused
	// LayerComputed is reported when the digests of a layer that is not in
	// the cache have been computed.
	LayerComputed
	// LayerReused is reported for a layer whose digests were in the cache.
	LayerReused
)

var eventNames = map[EventKind]string{
	PathCompressing: "compressing",
	PathCompressed:  "compressed",
	PathReused:      "reused",
	LayerComputed:   "computed layer",
	LayerReused:     "reused layer",
}

// String returns a short description of k, such as "compressed".
func (k EventKind) String() string {
	if s, ok := eventNames[k]; ok {
		return s
	}
	return fmt.Sprintf("EventKind(%d)", int(k))
}

// Event reports progress of Builder.StoreLayers.
type Event struct {
	Kind  EventKind
	Path  string // the store path, for path events
	Layer int    // the index of the layer in the argument of StoreLayers, for layer events
	Bytes int64  // uncompressed bytes of the path or layer; for PathCompressing, the NarSize
	Done  int    // store paths (for path events) or layers done so far, including this one but for PathCompressing
	Total int    // store paths (distinct ones) or layers of the call
}

// Stats returns the work done by the builder so far.
func (b *Builder) Stats() Stats {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.stats
}

// report updates the statistics with update and reports ev, under the
// builder's lock so that reports never overlap.
func (b *Builder) report(ev Event, update func(*Stats)) {
	b.mu.Lock()
	defer b.mu.Unlock()
	if update != nil {
		update(&b.stats)
	}
	if b.Progress != nil {
		b.Progress(ev)
	}
}

// counter counts the items of a phase that are done, for Event.Done.
type counter struct {
	mu    sync.Mutex
	done  int
	total int
}

// add adds n to the count and returns the new count.
func (c *counter) add(n int) int {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.done += n
	return c.done
}
