// Mistake: Convert takes the write lock instead of the read lock.
//
// Lock and a direct read of the map cure the recursive RLock, and a Set
// that arrives meanwhile still waits. But conversions no longer run side
// by side: every reader waits for every other reader, which is what the
// RWMutex was for.
//
// Replaces: rates.go
// Kind: test failed
// Expect: holds the write lock (Lock) where a read lock (RLock) is enough

package lockpitfalls

func (r *Rates) Convert(amount int64, from, to string) (int64, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if whileReading != nil {
		whileReading()
	}
	fromRate, ok := r.rates[from]
	if !ok {
		return 0, ErrUnknownCurrency
	}
	toRate, ok := r.rates[to]
	if !ok {
		return 0, ErrUnknownCurrency
	}
	return amount * fromRate / toRate, nil
}
