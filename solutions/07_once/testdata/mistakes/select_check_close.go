// Mistake: Close checks whether Done is already closed, then closes it.
//
// The select with a default case looks like "close only if still open",
// and called one at a time it never panics. But the check and the close are
// two steps, with the slow unsubscribe between them: two Close calls at the
// same time both see Done open, both unsubscribe, and the second close
// panics. A later Close also returns nil instead of the unsubscribe error.
//
// Replaces: subscription.go
// Kind: test failed
// Expect: double close of a channel
// Expect: close of closed channel

package once

// A Subscription is a live feed from a message broker.
type Subscription struct {
	unsubscribe func() error
	done        chan struct{} // closed when the subscription has ended
}

// NewSubscription returns an open subscription.
func NewSubscription(unsubscribe func() error) *Subscription {
	return &Subscription{unsubscribe: unsubscribe, done: make(chan struct{})}
}

// Done returns a channel that is closed when the subscription has ended.
func (s *Subscription) Done() <-chan struct{} {
	return s.done
}

// Close ends the subscription.
func (s *Subscription) Close() error {
	select {
	case <-s.done:
		return nil // already closed
	default:
	}
	err := s.unsubscribe()
	close(s.done)
	return err
}
