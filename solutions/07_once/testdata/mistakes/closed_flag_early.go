// Mistake: a "closed" flag is set under a lock, then the work runs outside
// it.
//
// Only the caller that flips the flag unsubscribes and closes Done, so
// nothing panics and unsubscribe runs once. But the other callers return at
// once, while the first is still unsubscribing: Done is not closed yet, and
// they return no error even when unsubscribe fails. The lock guards the
// flag, not the work.
//
// Replaces: subscription.go
// Kind: test failed
// Expect: returned before Done was closed

package once

import "sync"

// A Subscription is a live feed from a message broker.
type Subscription struct {
	unsubscribe func() error
	done        chan struct{} // closed when the subscription has ended

	mu     sync.Mutex // protects closed and err
	closed bool
	err    error
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
	s.mu.Lock()
	if s.closed {
		err := s.err
		s.mu.Unlock()
		return err
	}
	s.closed = true
	s.mu.Unlock()

	err := s.unsubscribe()
	s.mu.Lock()
	s.err = err
	s.mu.Unlock()
	close(s.done)
	return err
}
