// Mistake: NewFlags keeps the caller's map instead of copying it.
//
// The Flags' lock guards a map that someone else still holds: the caller
// can change flags without the lock, and Set writes into the caller's map.
// It is the "return the internal map" mistake, the other way round.
//
// Replaces: flags.go
// Kind: test failed
// Expect: NewFlags kept the caller's map

package dataraces

import "sync"

// Flags holds the website's feature flags.
type Flags struct {
	mu sync.RWMutex // protects on
	on map[string]bool
}

// NewFlags returns Flags that start with defaults.
func NewFlags(defaults map[string]bool) *Flags {
	if defaults == nil {
		defaults = make(map[string]bool)
	}
	return &Flags{on: defaults}
}

// Enabled reports whether the flag name is on.
func (f *Flags) Enabled(name string) bool {
	f.mu.RLock()
	defer f.mu.RUnlock()
	return f.on[name]
}
