// Mistake: one goroutine per input ranges over it, deaf to done while it waits.
//
// Each goroutine even sends in a select with done (the fan-in shape also
// holds one event per input, one more than the doc allows). But "for e := range in" only notices done when it has an event to
// send: while it waits for an input that stays open, closing done changes
// nothing. When the consumer quits and the inputs never close, those
// goroutines, and the one waiting to close out, leak.
//
// Replaces: merge.go
// Kind: goroutine leak
// Expect: Merge did not stop when done was closed

package channels

import "sync"

// Merge forwards every event from a and b until both are closed.
func Merge(done <-chan struct{}, a, b <-chan string) <-chan string {
	out := make(chan string)
	var wg sync.WaitGroup
	for _, in := range []<-chan string{a, b} {
		wg.Go(func() {
			for e := range in {
				select {
				case out <- e:
				case <-done:
					return
				}
			}
		})
	}
	go func() {
		wg.Wait()
		close(out)
	}()
	return out
}
