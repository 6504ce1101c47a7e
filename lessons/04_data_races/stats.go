package dataraces

// Stats counts views per page, such as "/home" or "/pricing". Request
// handlers call Record for every request; a dashboard calls Get and
// Snapshot while they do.
//
// Create Stats with NewStats. All methods are safe for concurrent use.
type Stats struct {
	// TODO: a map from page to views, and the lock that protects it.
}

// NewStats returns Stats with no views recorded.
func NewStats() *Stats {
	// TODO: make the map.
	return &Stats{}
}

// Record counts one view of page.
func (s *Stats) Record(page string) {
	// TODO: add one to the page's count, under the lock.
}

// Get returns the views of page counted so far, or 0 for a page that was
// never recorded.
func (s *Stats) Get(page string) int64 {
	// TODO: read the page's count, under the lock.
	return 0
}

// Snapshot returns the views of every recorded page, as they were at one
// instant. The map is new and belongs to the caller: the caller may read it
// and change it at any time, and later calls to Record do not change it.
// Snapshot never returns nil.
func (s *Stats) Snapshot() map[string]int64 {
	// TODO: copy the map while holding the lock, and return the copy.
	return nil
}
