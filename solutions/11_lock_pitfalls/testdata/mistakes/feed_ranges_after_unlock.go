// Mistake: Publish unlocks before sending, then ranges over f.watchers
// without the lock.
//
// The deadlock is gone, but f.watchers is read after Unlock, while a
// watcher may be adding another watcher with Watch, which writes the slice
// under the lock. That is a data race: only -race sees it, and the fix is to
// copy the slice while holding the lock.
//
// Replaces: feed.go
// Kind: data race
// Expect: no Lock at all, or after Unlock

package lockpitfalls

// Publish adds e to the history and sends it to every watcher.
func (f *Feed) Publish(e Event) {
	f.mu.Lock()
	f.history = append(f.history, e)
	f.mu.Unlock()
	for _, ch := range f.watchers {
		ch <- e
	}
}
