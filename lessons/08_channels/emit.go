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
		for _, e := range events {
			// TODO: stop when done is closed. This send waits for a
			// receiver; if the consumer has quit, it waits forever.
			out <- e
		}
		// TODO: close out, here and on every other way out of this
		// goroutine, so that the consumer's range loop ends.
	}()
	return out
}
