// Mistake: the generator ignores done and sends with no receiver.
//
// The goroutine closes its channel, but it only gets there by sending every
// event. When the consumer quits early, the next send has no receiver and
// waits forever: the goroutine leaks, one per abandoned stream.
//
// Replaces: emit.go
// Kind: goroutine leak
// Expect: goroutine leak: Emit ignores done

package channels

// Emit sends events on the returned channel and then closes it.
func Emit(done <-chan struct{}, events ...string) <-chan string {
	out := make(chan string)
	go func() {
		defer close(out)
		for _, e := range events {
			out <- e
		}
	}()
	return out
}
