// Mistake: Merge watches done while it receives, but not while it sends.
//
// If the consumer quits while Merge holds an event, the plain send waits
// for a receiver that will never come, and Merge's goroutine leaks. It
// passes every test in which the consumer reads to the end.
//
// Replaces: merge.go
// Kind: goroutine leak
// Expect: goroutine leak: Merge waits on a send with no receiver

package channels

// Merge forwards every event from a and b until both are closed.
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
			out <- e
		}
	}()
	return out
}
