// Mistake: nobody closes the shared channel.
//
// The sources run and send, and Gather receives every event, but its range
// loop only ends when the channel is closed. The sources must not close it
// and the loop cannot, so without a goroutine that waits for the sources
// and then closes, Gather waits forever after the last event.
//
// Replaces: gather.go
// Kind: deadlock or hang
// Expect: never closed, so range never ends

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
	for e := range events {
		got = append(got, e)
	}
	wg.Wait()
	return got
}
