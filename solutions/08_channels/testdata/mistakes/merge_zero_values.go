// Mistake: Merge ignores ok and forwards zero values from a closed input.
//
// While both inputs are open it works. Once one closes, every receive from
// it returns "" at once, and the loop forwards an endless stream of empty
// events. It never ends by itself either: nothing tells it that both inputs
// are done.
//
// Replaces: merge.go
// Kind: test failed
// Expect: zero value: Merge forwarded

package channels

// Merge forwards every event from a and b.
func Merge(done <-chan struct{}, a, b <-chan string) <-chan string {
	out := make(chan string)
	go func() {
		defer close(out)
		for {
			var e string
			select {
			case e = <-a:
			case e = <-b:
			case <-done:
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
