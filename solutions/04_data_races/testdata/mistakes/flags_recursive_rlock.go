// Mistake: Enabled read-locks, then calls a helper that read-locks again.
//
// Recursive read locking: it works until a writer calls Lock between the two
// RLocks. The writer waits for the first reader to leave, and the second RLock
// waits behind the writer: deadlock. TestFlags_ReadersWithAWriterWaiting
// queues a writer there every run (its Set holds Lock while it hashes a very
// long flag name, and calls Lock again as soon as it unlocked).
//
// Replaces: flags.go
// Kind: deadlock or hang
// Expect: recursive RLock with a writer in between

package dataraces

import "sync"

type Flags struct {
	mu sync.RWMutex
	on map[string]bool
}

func (f *Flags) Enabled(name string) bool {
	f.mu.RLock()
	defer f.mu.RUnlock()
	return f.lookup(name)
}

func (f *Flags) lookup(name string) bool {
	f.mu.RLock()
	defer f.mu.RUnlock()
	return f.on[name]
}
