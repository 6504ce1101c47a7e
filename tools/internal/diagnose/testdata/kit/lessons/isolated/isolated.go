// Package isolated locks two mutexes in the order it is given them, which
// deadlocks when two calls give them in opposite orders. The kit's
// deadlock detector, in a child process, reports it.
package isolated

import "sync"

// Both locks first, calls locked, then locks second; it unlocks both.
func Both(first, second *sync.Mutex, locked func()) {
	first.Lock()
	defer first.Unlock()
	locked()
	second.Lock()
	second.Unlock()
}
