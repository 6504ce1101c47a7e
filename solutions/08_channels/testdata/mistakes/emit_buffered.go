// Mistake: the generator fills a buffer as big as the stream.
//
// With a buffer for every event, no send ever waits, so the goroutine never
// leaks, and a consumer that reads everything sees no difference. But the
// generator runs ahead of its consumer: after the consumer quits, the events
// it never asked for are still sitting in the buffer, already produced.
// With a real source (a database cursor, a file) that is work and memory
// spent for nothing.
//
// Replaces: emit.go
// Kind: test failed
// Expect: ran ahead of its consumer

package channels

// Emit sends events on the returned channel and then closes it.
func Emit(done <-chan struct{}, events ...string) <-chan string {
	out := make(chan string, len(events))
	go func() {
		defer close(out)
		for _, e := range events {
			select {
			case out <- e:
			case <-done:
				return
			}
		}
	}()
	return out
}
