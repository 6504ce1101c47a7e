// Mistake: when one input ends, Merge ranges over the other with plain sends.
//
// "The rest is just the other input" turns the second half of Merge into
// `for e := range b { out <- e }`, which hears done neither while it waits
// for b nor while it sends. Everything arrives when the consumer reads to
// the end; a consumer that quits after one input has closed leaves Merge
// waiting forever.
//
// Replaces: merge.go
// Kind: goroutine leak
// Expect: Merge did not stop when done was closed

package channels

func Merge(done <-chan struct{}, a, b <-chan string) <-chan string {
	out := make(chan string)
	go func() {
		defer close(out)
		for {
			select {
			case e, ok := <-a:
				if !ok {
					for e := range b { // a is over: the rest is b
						out <- e
					}
					return
				}
				select {
				case out <- e:
				case <-done:
					return
				}
			case e, ok := <-b:
				if !ok {
					for e := range a {
						out <- e
					}
					return
				}
				select {
				case out <- e:
				case <-done:
					return
				}
			case <-done:
				return
			}
		}
	}()
	return out
}
