// Mistake: Emit sends in the caller's goroutine, before returning the channel.
//
// The first send on the unbuffered channel waits for a receiver, but the
// caller can only receive once Emit has returned the channel. Nothing can
// move: all goroutines are asleep. In a program's main goroutine Go reports
// "fatal error: all goroutines are asleep - deadlock!".
//
// Replaces: emit.go
// Kind: deadlock or hang
// Expect: goroutines are asleep

package channels

// Emit sends events on the returned channel and then closes it.
func Emit(done <-chan struct{}, events ...string) <-chan string {
	out := make(chan string)
	defer close(out)
	for _, e := range events {
		out <- e
	}
	return out
}
