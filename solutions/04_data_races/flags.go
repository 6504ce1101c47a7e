package dataraces

import (
	"maps"
	"sync"
)

// Flags holds the website's feature flags, such as "new-checkout", each on
// or off. Every request asks Enabled, many at the same time; an operator
// calls Set now and then. Reads far outnumber writes, so readers should not
// wait for each other, only for a writer.
//
// Create Flags with NewFlags. All methods are safe for concurrent use.
type Flags struct {
	mu sync.RWMutex    // protects on: RLock to read, Lock to write
	on map[string]bool // flag name -> on; the Flags' own map, never shared
}

// NewFlags returns Flags that start with defaults. NewFlags copies
// defaults: the caller may change or reuse the map afterwards without
// changing the Flags, and Set never writes into it. A nil defaults means
// that every flag starts off.
func NewFlags(defaults map[string]bool) *Flags {
	on := make(map[string]bool, len(defaults))
	maps.Copy(on, defaults)
	return &Flags{on: on}
}

// Enabled reports whether the flag name is on. A flag that was never set is
// off.
func (f *Flags) Enabled(name string) bool {
	f.mu.RLock()
	defer f.mu.RUnlock()
	return f.on[name]
}

// Set turns the flag name on or off.
func (f *Flags) Set(name string, on bool) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.on[name] = on
}
