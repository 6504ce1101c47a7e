// Mistake: Publish unlocks before sending, then ranges over f.watchers
// without the lock.
//
// The deadlock is gone, but f.watchers is read after Unlock, while a
// watcher may be adding another watcher with Watch, which writes the slice
// under the lock. That is a data race: only -race sees it, and the fix is to
// copy the slice while holding the lock.
//
// Replaces: feed.go
// Expect: used after Unlock

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
	f.history = append(f.history, e)
	f.mu.Unlock()
	for _, ch := range f.watchers {
		ch <- e
	}
}
