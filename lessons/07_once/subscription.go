package once

// A Subscription is a live feed from a message broker, such as the price
// updates a dashboard listens to. Done tells readers when it has ended;
// Close ends it. The zero Subscription is not usable; call NewSubscription.
type Subscription struct {
	unsubscribe func() error
	done        chan struct{} // closed when the subscription has ended

	// TODO: add what Close needs to do its work exactly once.
}

// NewSubscription returns an open subscription. unsubscribe tells the broker
// to stop delivering to it; it is slow (a round trip to the broker) and it
// may fail. Close calls it; nothing else does.
func NewSubscription(unsubscribe func() error) *Subscription {
	return &Subscription{unsubscribe: unsubscribe, done: make(chan struct{})}
}

// Done returns a channel that is closed when the subscription has ended,
// that is once unsubscribe has returned. It returns the same channel on
// every call. Readers select on it to stop waiting for messages.
func (s *Subscription) Done() <-chan struct{} {
	return s.done
}

// Close ends the subscription: it calls unsubscribe, then closes Done.
//
// Close may be called any number of times, from any number of goroutines at
// once, and never panics. unsubscribe runs exactly once. Every Close call
// returns only after Done is closed, and returns the error of that one
// unsubscribe call (nil if it succeeded). If unsubscribe fails, the
// subscription is ended anyway: Done is closed and the error is reported.
func (s *Subscription) Close() error {
	// TODO: a second Close closes Done again, and closing a closed channel
	// panics. Two Close calls at once both unsubscribe. Make the work of
	// Close happen exactly once, and give every caller its result.
	err := s.unsubscribe()
	close(s.done)
	return err
}
