// Mistake: Emit skips a send when nobody is waiting for it.
//
// A default case in the send's select makes the generator "never block":
// when the consumer is busy at that instant, the event is dropped and Emit
// goes on to the next. A consumer that is always waiting sees no
// difference; a consumer that does some work between events loses most of
// them.
//
// Replaces: emit.go
// Kind: test failed
// Expect: events were dropped while the consumer was busy

package channels

func Emit(done <-chan struct{}, events ...string) <-chan string {
	out := make(chan string)
	go func() {
		defer close(out) // on every way out: after the last event, or on done
		for _, e := range events {
			select {
			case out <- e:
			case <-done:
				return
			default: // consumer busy: drop
			}
		}
	}()
	return out
}
