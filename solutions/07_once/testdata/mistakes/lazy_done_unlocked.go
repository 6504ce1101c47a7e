// Mistake: Done makes its channel lazily, without a lock.
//
// NewSubscription leaves done nil and Done makes the channel on first use.
// Two goroutines that call Done at once on a new subscription race on
// s.done and may get two different channels, one of which Close never
// closes: its reader waits forever. Every test that calls Done once before
// anything else runs at once sees nothing.
//
// Replaces: subscription.go
// Kind: data race
// Expect: WARNING: DATA RACE
// Expect: TestDone_SameChannelForEveryone

package once

import "sync"

type Subscription struct {
	done        chan struct{}
	unsubscribe func() error
	once        sync.Once
	err         error
}

func NewSubscription(unsubscribe func() error) *Subscription {
	return &Subscription{unsubscribe: unsubscribe}
}

func (s *Subscription) Done() <-chan struct{} { return s.ch() }

func (s *Subscription) Close() error {
	s.once.Do(func() {
		s.err = s.unsubscribe()
		close(s.ch())
	})
	<-s.Done()
	return s.err
}

func (s *Subscription) ch() chan struct{} {
	if s.done == nil {
		s.done = make(chan struct{})
	}
	return s.done
}
