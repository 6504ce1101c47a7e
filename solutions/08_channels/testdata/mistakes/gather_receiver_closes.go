// Mistake: the receiver closes the channel after it has "enough" events.
//
// Gather expects one event per source, receives that many and closes the
// channel itself. A source that sends more than one event then panics on a
// send on the closed channel, and its events are lost. The receiver cannot
// know whether more will come; only the senders' side can.
//
// Replaces: gather.go
// Kind: data race
// Expect: send on closed channel
// Expect: The receiver never closes

package channels

import "sync"

// A Source sends zero or more events on out and returns.
type Source func(out chan<- string)

// Gather runs every source at the same time and returns their events.
func Gather(sources ...Source) []string {
	events := make(chan string)
	var wg sync.WaitGroup
	for _, src := range sources {
		wg.Go(func() { src(events) })
	}
	var got []string
	for range len(sources) {
		got = append(got, <-events)
	}
	close(events)
	wg.Wait()
	return got
}
