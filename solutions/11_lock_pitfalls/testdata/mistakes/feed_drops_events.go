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
// Kind: test failed
// Expect: an event was dropped

package lockpitfalls

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
