// Mistake: Set writes the map while holding only the read lock.
//
// RLock lets any number of goroutines in at once; that is its point. A
// writer that takes RLock shares the map with every reader and every other
// such writer, so the RWMutex protects nothing. The mix-up hides easily in
// a long function where a read path grew a write.
//
// Replaces: flags.go
// Kind: data race
// Expect: data race on the flags map

package dataraces

import (
	"maps"
	"sync"
)

// Flags holds the website's feature flags.
type Flags struct {
	mu sync.RWMutex // protects on
	on map[string]bool
}

// NewFlags returns Flags that start with defaults.
func NewFlags(defaults map[string]bool) *Flags {
	on := make(map[string]bool, len(defaults))
	maps.Copy(on, defaults)
	return &Flags{on: on}
}

// Enabled reports whether the flag name is on.
func (f *Flags) Enabled(name string) bool {
	f.mu.RLock()
	defer f.mu.RUnlock()
	return f.on[name]
}

func (f *Flags) Set(name string, on bool) {
	f.mu.RLock()
	defer f.mu.RUnlock()
	f.on[name] = on
}
