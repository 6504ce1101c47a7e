// Mistake: the retry loop has no bound.
//
// Every conflict is retried until one attempt wins. With light contention
// that is quick, so tests with two or a hundred callers pass. Under heavy
// contention, or against a store that keeps refusing, the call never
// returns, holds its goroutine, and burns a CPU in a tight loop.
//
// Replaces: optimistic.go
// Kind: test failed
// Expect: unbounded retry

package lostupdate

// IncrementOptimistic adds one to the counter key the optimistic way and
// returns the value it wrote.
func IncrementOptimistic(s Store, key string) (int, error) {
	for {
		n, version := s.Get(key)
		if s.CompareAndSet(key, version, n+1) {
			return n + 1, nil
		}
	}
}
