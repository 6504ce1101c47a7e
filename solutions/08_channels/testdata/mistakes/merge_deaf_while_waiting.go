// Mistake: Merge watches done while it sends, but not while it waits for an input.
//
// The send is in a select with done, so a consumer that quits while Merge
// holds an event is noticed. But the receiving select has no done case:
// while both inputs are open and silent, closing done changes nothing, and
// if they never send again Merge's goroutine waits for them forever.
//
// Replaces: merge.go
// Kind: goroutine leak
// Expect: Merge did not stop when done was closed

package channels

func Merge(done <-chan struct{}, a, b <-chan string) <-chan string {
	out := make(chan string)
	go func() {
		defer close(out)
		// A nil channel is never ready, so select stops choosing an input
		// once it is set to nil. The loop ends when both are.
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
