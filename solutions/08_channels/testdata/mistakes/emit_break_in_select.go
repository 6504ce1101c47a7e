// Mistake: "break" inside select, meant to leave the loop when done is closed.
//
// In Go, break inside a select leaves only the select: the for loop goes on
// to the next event. With nobody receiving, every later select takes done
// again and the loop runs out and closes, so the channel looks right; but
// a consumer that is still receiving can get events after it quit, with
// some skipped in between.
//
// Replaces: emit.go
// Kind: test failed
// Expect: leaves only the select

package channels

// "break" inside select only leaves the select, not the loop.
func Emit(done <-chan struct{}, events ...string) <-chan string {
	out := make(chan string)
	go func() {
		defer close(out)
		for _, e := range events {
			select {
			case out <- e:
			case <-done:
				break
			}
		}
	}()
	return out
}
