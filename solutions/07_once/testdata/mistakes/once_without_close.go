// Mistake: Once guards the unsubscribe, but close(done) runs on every call.
//
// The author remembered that unsubscribe must run once and wrapped it in
// sync.Once, then put the close of Done after the Do. The first Close works;
// the second closes a closed channel and panics. A deferred Close plus an
// explicit one on the error path is all it takes.
//
// Replaces: subscription.go
// Kind: test failed
// Expect: Close panicked the second time
// Expect: close of closed channel

package once

import "sync"

// A Subscription is a live feed from a message broker.
type Subscription struct {
	unsubscribe func() error
	done        chan struct{} // closed when the subscription has ended

	once sync.Once
	err  error // written once, inside once.Do
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
	s.once.Do(func() {
		s.err = s.unsubscribe()
	})
	close(s.done)
	return s.err
}
