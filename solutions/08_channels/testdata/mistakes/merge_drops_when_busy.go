// Mistake: the forward drops the event when the consumer is not ready.
//
// The send is `select { case out <- e: case <-done: return; default: }`: a
// non-blocking send, "so the pipeline never blocks". A consumer that is
// already waiting gets every event; one that is busy for a moment between
// receives loses every event that arrived meanwhile. An unbuffered send is
// backpressure, and only done may end that wait.
//
// Replaces: merge.go
// Kind: test failed
// Expect: events were dropped while the consumer was busy

package channels

func Merge(done <-chan struct{}, a, b <-chan string) <-chan string {
	out := make(chan string)
	go func() {
		defer close(out)
		for a != nil || b != nil {
			var e string
			var ok bool
			select {
			case e, ok = <-a:
				if !ok {
					a = nil
					continue
				}
			case e, ok = <-b:
				if !ok {
					b = nil
					continue
				}
			case <-done:
				return
			}
			select {
			case out <- e:
			case <-done:
				return
			default:
			}
		}
	}()
	return out
}
