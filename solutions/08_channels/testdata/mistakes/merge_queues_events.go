// Mistake: Merge keeps a queue of events its consumer has not taken.
//
// A select with the send enabled only when the queue is not empty looks
// like a clever non-blocking merge, and every event arrives in order. But
// Merge now takes events from its inputs as fast as they come, however slow
// the consumer is: the inputs' senders run ahead, the queue grows without a
// bound, and the doc's "Merge holds at most one event" is broken.
//
// Replaces: merge.go
// Kind: test failed
// Expect: Merge ran ahead of its consumer

package channels

func Merge(done <-chan struct{}, a, b <-chan string) <-chan string {
	out := make(chan string)
	go func() {
		defer close(out)
		var queue []string
		for a != nil || b != nil || len(queue) > 0 {
			var send chan<- string
			var next string
			if len(queue) > 0 {
				send, next = out, queue[0]
			}
			select {
			case e, ok := <-a:
				if !ok {
					a = nil
					continue
				}
				queue = append(queue, e)
			case e, ok := <-b:
				if !ok {
					b = nil
					continue
				}
				queue = append(queue, e)
			case send <- next:
				queue = queue[1:]
			case <-done:
				return
			}
		}
	}()
	return out
}
