// Mistake: the watchers are copied, but the Unlock is deferred.
//
// Copying the list under the lock is the right first half. But a deferred
// Unlock runs when Publish returns, which is after the sends: every send
// still waits for its watcher with f.mu held, and a watcher that calls
// History before receiving deadlocks the feed exactly as before.
//
// Replaces: feed.go
// Kind: deadlock or hang
// Expect: sending on a channel while holding the lock

package lockpitfalls

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
