// Mistake: the watchers are copied, but the Unlock is deferred.
//
// Copying the list under the lock is the right first half. But a deferred
// Unlock runs when Publish returns, which is after the sends: every send
// still waits for its watcher with f.mu held, and a watcher that calls
// History before receiving deadlocks the feed exactly as before.
//
// Replaces: feed.go
// Expect: sending on a channel while holding the lock

package lockpitfalls

import "sync"

// An Event is one transfer, as the feed reports it.
type Event struct {
	From, To int   // account ids
	Amount   int64 // cents
}

// A Feed keeps the history of the bank's transfers and sends each new one
// to its watchers, such as a fraud check or a dashboard. The zero Feed is
// ready to use. Its methods are safe for concurrent use, and a watcher may
// call them while it handles an event: a dashboard that receives an event
// and then calls History to redraw itself must not deadlock the feed.
type Feed struct {
	mu       sync.Mutex // protects history and watchers
	history  []Event
	watchers []chan<- Event
}

// Watch adds ch as a watcher: every event published from now on is sent on
// ch. The watcher must keep receiving from ch for as long as events are
// published; the feed never closes ch.
func (f *Feed) Watch(ch chan<- Event) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.watchers = append(f.watchers, ch)
}

// History returns a copy of every event published so far, oldest first.
func (f *Feed) History() []Event {
	f.mu.Lock()
	defer f.mu.Unlock()
	out := make([]Event, len(f.history))
	copy(out, f.history)
	return out
}

// Publish adds e to the history and sends it to every watcher.
func (f *Feed) Publish(e Event) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.history = append(f.history, e)
	watchers := make([]chan<- Event, len(f.watchers))
	copy(watchers, f.watchers)
	for _, ch := range watchers {
		ch <- e
	}
}
