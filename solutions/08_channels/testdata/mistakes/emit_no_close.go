// Mistake: the generator never closes its channel.
//
// Every event arrives, so a consumer that reads a known number of events
// works. A consumer that ranges over the channel, as consumers do, waits
// forever after the last event: nothing tells it that the stream has ended.
//
// Replaces: emit.go
// Kind: deadlock or hang
// Expect: never closed, so range never ends

package channels

// Emit sends events on the returned channel until done is closed.
func Emit(done <-chan struct{}, events ...string) <-chan string {
	out := make(chan string)
	go func() {
		for _, e := range events {
			select {
			case out <- e:
			case <-done:
				return
			}
		}
	}()
	return out
}
