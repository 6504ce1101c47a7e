// Mistake: the "atomic" increment is a Get and then a Put.
//
// Each store call is atomic on its own, which is easy to mistake for the
// whole increment being atomic. It is still a plain read-modify-write: a
// second increment can read between this one's Get and its Put, and one of
// the two updates is lost.
//
// Replaces: atomic.go
// Kind: test failed
// Expect: lost update
// Expect: a Get followed by a Put is still a read-modify-write

package lostupdate

// IncrementAtomic adds one to the counter key and returns the new value.
func IncrementAtomic(s Store, key string) int {
	n, _ := s.Get(key)
	s.Put(key, n+1)
	return n + 1
}
