// Package channels is lesson 08: channels as values. A generator returns a
// channel that it sends on and closes; the consumer ranges over it and may
// quit early by closing a done channel; Merge joins two channels with select
// and nil channels; Gather collects from many senders on one channel and
// closes it exactly once, after the last sender.
//
// The rule that runs through the lesson: the sender closes, never the
// receiver, and only when nobody will send on the channel again.
package channels

// Emit starts a goroutine that sends events on the returned channel, one at
// a time and in order, and closes the channel after the last one, so that a
// consumer's "for e := range ch" loop ends. Emit returns at once, before the
// first event is sent.
//
// The channel is unbuffered: each send waits until the consumer receives,
// so the goroutine never runs ahead of its consumer.
//
// The consumer may quit early by closing done. Emit's goroutine then stops
// sending, closes the channel and returns, even if nobody ever receives from
// the channel again. A nil done means the consumer never quits early.
//
// Only Emit's goroutine closes the channel: it is the sender. The consumer
// cannot close it (the channel is receive-only) and does not need to.
func Emit(done <-chan struct{}, events ...string) <-chan string {
	out := make(chan string)
	go func() {
		defer close(out) // on every way out: after the last event, or on done
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
