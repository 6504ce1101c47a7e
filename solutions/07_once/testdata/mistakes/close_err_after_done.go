// Mistake: the first Close stores the unsubscribe error after closing Done.
//
// A CompareAndSwap picks the first Close; the others wait on Done and then
// return s.err. But the first closes Done before it stores the error, so
// the waiters wake up and read s.err while it is being written: a data
// race, and callers that read too early report nil for a failed
// unsubscribe.
//
// Replaces: subscription.go
// Kind: data race
// Expect: WARNING: DATA RACE

package once

import "sync/atomic"

type Subscription struct {
	unsubscribe func() error
	done        chan struct{}
	started     atomic.Bool
	err         error
}

func NewSubscription(unsubscribe func() error) *Subscription {
	return &Subscription{unsubscribe: unsubscribe, done: make(chan struct{})}
}

func (s *Subscription) Done() <-chan struct{} { return s.done }

func (s *Subscription) Close() error {
	if !s.started.CompareAndSwap(false, true) {
		<-s.done
		return s.err
	}
	err := s.unsubscribe()
	close(s.done)
	s.err = err
	return err
}
