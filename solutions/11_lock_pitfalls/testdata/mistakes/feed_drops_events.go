// Mistake: the send never blocks, because it drops the event when the
// watcher is busy.
//
// A select with a default case makes the send under the lock harmless, so
// nothing deadlocks. But a watcher that is handling the previous event at
// that moment simply misses this one, and the contract says every watcher
// gets every event. In a test with fast watchers and buffered channels it
// looks fine.
//
// Replaces: feed.go
// Expect: an event was dropped

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
	for _, ch := range f.watchers {
		select {
		case ch <- e:
		default: // the watcher is busy: skip it
		}
	}
}
