package channels

import "sync"

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
	events := make(chan string)
	var wg sync.WaitGroup
	for _, src := range sources {
		wg.Go(func() { src(events) })
	}
	// Nobody who sends can close: the others may still send. The receiver
	// must not either. A goroutine of its own closes once every sender
	// has returned, and that close ends the range below.
	go func() {
		wg.Wait()
		close(events)
	}()
	var got []string
	for e := range events {
		got = append(got, e)
	}
	return got
}
