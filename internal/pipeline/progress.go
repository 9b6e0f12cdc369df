package pipeline

import (
	"fmt"
	"time"

	"github.com/nixlayer/nixlayer/internal/image"
)

// progressEvery is how often a running count may repeat.
const progressEvery = 2 * time.Second

func (im *Image) progress(format string, args ...any) {
	if im.Progress != nil {
		fmt.Fprintf(im.Progress, "nixlayer: "+format+"\n", args...)
	}
}

// layerProgress reports the work of the layer builder, in order and now
// and then: a line when the first store path the cache lacks starts being
// compressed, then the count of store paths done and of layers hashed, at
// most every progressEvery and when the last is done. The builder's calls
// do not overlap, and their Done counts only grow.
func (im *Image) layerProgress() func(image.Event) {
	if im.Progress == nil {
		return nil
	}
	compressing := false
	last := map[bool]time.Time{} // by layer event or path event
	return func(ev image.Event) {
		layer := ev.Kind == image.LayerComputed || ev.Kind == image.LayerReused
		switch {
		case ev.Kind == image.PathCompressing:
			if !compressing {
				compressing = true
				last[false] = time.Now()
				im.progress("compressing the store paths the cache lacks (%d in the image)", ev.Total)
			}
			return
		case !compressing && !layer, ev.Kind == image.LayerReused && ev.Done < ev.Total:
			return
		}
		if ev.Done < ev.Total && time.Since(last[layer]) < progressEvery {
			return
		}
		last[layer] = time.Now()
		if layer {
			im.progress("%d of %d layers ready", ev.Done, ev.Total)
		} else {
			im.progress("%d of %d store paths compressed or in the cache", ev.Done, ev.Total)
		}
	}
}
