// Mistake: the new value is read back after Add, instead of taken from Add.
//
// The counter itself is right, because Add is atomic. But between the Add
// and the Get another increment may add too, so two callers can both be
// told 12: two page views numbered the same, two orders with one invoice
// number. The database version of this is an UPDATE followed by a SELECT,
// where UPDATE ... RETURNING was needed.
//
// Replaces: atomic.go
// Kind: test failed
// Expect: the value was read back after Add

package lostupdate

// IncrementAtomic adds one to the counter key and returns the new value.
func IncrementAtomic(s Store, key string) int {
	s.Add(key, 1)
	n, _ := s.Get(key)
	return n
}
