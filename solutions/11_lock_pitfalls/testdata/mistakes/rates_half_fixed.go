// Mistake: half of the recursive RLock is fixed.
//
// Convert now reads the first rate straight from the map, but still gets
// the second through Rate, which takes the read lock again. With no writer
// around it works; once a Set is waiting between the two RLocks, the second
// RLock waits behind the writer and the writer waits for Convert.
//
// Replaces: rates.go
// Kind: deadlock or hang
// Expect: recursive RLock with a writer waiting

package lockpitfalls

// Convert converts amount cents of currency from into cents of currency to.
func (r *Rates) Convert(amount int64, from, to string) (int64, error) {
	r.mu.RLock()
	defer r.mu.RUnlock()
	if whileReading != nil {
		whileReading()
	}
	fromRate, ok := r.rates[from]
	if !ok {
		return 0, ErrUnknownCurrency
	}
	toRate, ok := r.Rate(to)
	if !ok {
		return 0, ErrUnknownCurrency
	}
	return amount * fromRate / toRate, nil
}
