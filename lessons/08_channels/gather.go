package channels

// A Source sends zero or more events on out and returns. It shares out with
// other sources, so it never closes out: a send on a closed channel panics,
// and the source cannot know whether the others are done.
type Source func(out chan<- string)

// Gather runs every source in a goroutine of its own, all at the same time,
// all sending on one channel that Gather makes, and returns the events in
// the order it received them. It returns once every source has returned and
// every event has been received. Gather() returns no events.
//
// Gather receives while the sources send; it does not wait for them first.
// The channel is closed exactly once, after the last source has returned,
// and neither a source nor Gather's receiving loop closes it.
func Gather(sources ...Source) []string {
	// TODO: make the channel, start one goroutine per source, arrange for
	// the channel to be closed after the last source returns, and range
	// over it to collect the events.
	return nil
}
