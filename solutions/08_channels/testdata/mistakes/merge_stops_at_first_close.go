// Mistake: Merge returns as soon as one input is closed.
//
// "Closed means done" is true for a single input, not for two. When the
// faster input ends first, the rest of the other one is lost, and its
// sender is left waiting for a receiver that has gone.
//
// Replaces: merge.go
// Kind: test failed
// Expect: stopped at the first closed input

package channels

// Merge forwards every event from a and b.
func Merge(done <-chan struct{}, a, b <-chan string) <-chan string {
	out := make(chan string)
	go func() {
		defer close(out)
		for {
			var e string
			var ok bool
			select {
			case e, ok = <-a:
			case e, ok = <-b:
			case <-done:
				return
			}
			if !ok {
				return
			}
			select {
			case out <- e:
			case <-done:
				return
			}
		}
	}()
	return out
}
