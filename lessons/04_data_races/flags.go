package dataraces

// Flags holds the website's feature flags, such as "new-checkout", each on
// or off. Every request asks Enabled, many at the same time; an operator
// calls Set now and then. Reads far outnumber writes, so readers should not
// wait for each other, only for a writer.
//
// Create Flags with NewFlags. All methods are safe for concurrent use.
type Flags struct {
	// TODO: a map from flag name to on/off, and a lock that lets many
	// readers in at once but a writer only alone.
}

// NewFlags returns Flags that start with defaults. NewFlags copies
// defaults: the caller may change or reuse the map afterwards without
// changing the Flags, and Set never writes into it. A nil defaults means
// that every flag starts off.
func NewFlags(defaults map[string]bool) *Flags {
	// TODO: copy defaults into a map of the Flags' own.
	return &Flags{}
}

// Enabled reports whether the flag name is on. A flag that was never set is
// off.
func (f *Flags) Enabled(name string) bool {
	// TODO: read the flag under the read lock.
	return false
}

// Set turns the flag name on or off.
func (f *Flags) Set(name string, on bool) {
	// TODO: write the flag under the write lock.
}
