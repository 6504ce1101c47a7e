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

// Publish adds e to the history and then sends e to every watcher, in the
// order they were added, waiting until each has received it. Events
// published by one goroutine reach every watcher in the order they were
// published, and none is dropped.
func (f *Feed) Publish(e Event) {
	// Under the lock: record the event and copy the list of watchers, so
	// that a Watch after Unlock cannot change the slice being ranged over.
	f.mu.Lock()
	f.history = append(f.history, e)
	watchers := make([]chan<- Event, len(f.watchers))
	copy(watchers, f.watchers)
	f.mu.Unlock()

	// Without the lock: a send may wait for as long as the watcher takes,
	// and the watcher may call History or Watch meanwhile.
	for _, ch := range watchers {
		ch <- e
	}
}
