// Mistake: Gather waits for the sources before it starts receiving.
//
// The buffer has room for one event per source, so with sources that send
// one event each it works, and it looks tidy: wait, close, then read. A
// source that sends more fills the buffer, its next send waits for a
// receiver, and the receiver is waiting for the sources: all goroutines are
// asleep. A buffer only postpones a missing receiver.
//
// Replaces: gather.go
// Kind: deadlock or hang
// Expect: nobody receives

package channels

import "sync"

// A Source sends zero or more events on out and returns.
type Source func(out chan<- string)

// Gather runs every source at the same time and returns their events.
func Gather(sources ...Source) []string {
	events := make(chan string, len(sources))
	var wg sync.WaitGroup
	for _, src := range sources {
		wg.Go(func() { src(events) })
	}
	wg.Wait()
	close(events)
	var got []string
	for e := range events {
		got = append(got, e)
	}
	return got
}
