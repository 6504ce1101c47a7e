// Mistake: the receiver closes its inputs to stop their senders.
//
// Closing a channel you receive from looks like a way to say "stop", but a
// sender that sends after the close panics ("send on closed channel"), and
// a second close panics too. Go's channel directions stop it before it
// runs: a and b are receive-only, and the compiler refuses to close them.
// This file does not compile; the way to say "stop" is the done channel.
//
// Replaces: merge.go
// Kind: does not compile
// Expect: cannot close receive-only channel
// Compiles: no

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
				close(a) // tell the senders to stop: does not compile
				close(b)
				return
			}
			out <- e
		}
	}()
	return out
}
