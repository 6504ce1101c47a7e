// Mistake: later Close calls wrap the unsubscribe error.
//
// The Once unsubscribes once and keeps the error, but every Close after
// the first returns fmt.Errorf("already closed: %w", err). errors.Is still
// matches; the contract is "the error of that one unsubscribe call", the
// same value, which a caller may compare with ==.
//
// Replaces: subscription.go
// Kind: test failed
// Expect: Close wraps the unsubscribe error

package once

import (
	"fmt"
	"sync"
)

type Subscription struct {
	unsubscribe func() error
	done        chan struct{}
	once        sync.Once
	err         error
}

func NewSubscription(unsubscribe func() error) *Subscription {
	return &Subscription{unsubscribe: unsubscribe, done: make(chan struct{})}
}

func (s *Subscription) Done() <-chan struct{} { return s.done }

func (s *Subscription) Close() error {
	first := false
	s.once.Do(func() {
		first = true
		s.err = s.unsubscribe()
		close(s.done)
	})
	if s.err != nil && !first {
		return fmt.Errorf("already closed: %w", s.err)
	}
	return s.err
}
