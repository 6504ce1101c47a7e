// Mistake: the outer read lock is dropped, and Convert calls Rate twice.
//
// No goroutine takes the read lock twice any more, so nothing deadlocks.
// But the two rates are read in two critical sections, and a Set between
// them makes Convert mix an old rate with a new one; and a Set that arrives
// while Convert runs no longer waits for it.
//
// Replaces: rates.go
// Kind: test failed
// Expect: does not read both rates under one read lock

package lockpitfalls

// Convert converts amount cents of currency from into cents of currency to.
func (r *Rates) Convert(amount int64, from, to string) (int64, error) {
	if whileReading != nil {
		whileReading()
	}
	fromRate, ok := r.Rate(from)
	if !ok {
		return 0, ErrUnknownCurrency
	}
	toRate, ok := r.Rate(to)
	if !ok {
		return 0, ErrUnknownCurrency
	}
	return amount * fromRate / toRate, nil
}
