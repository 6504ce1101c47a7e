// Mistake: Enabled reads the map without any lock, because "it only reads".
//
// Set takes the write lock, but a lock only keeps out those who take it
// too. Enabled runs on every request, so a read racing a Set is certain in
// production; the runtime may even stop the program with "fatal error:
// concurrent map read and map write".
//
// Replaces: flags.go
// Kind: data race
// Expect: data race on the flags map
// Expect: Flags.Enabled

package dataraces

import (
	"maps"
	"sync"
)

// Flags holds the website's feature flags.
type Flags struct {
	mu sync.RWMutex // protects on, but Enabled skips it
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
	return f.on[name]
}
