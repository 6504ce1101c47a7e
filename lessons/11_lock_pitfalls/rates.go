package lockpitfalls

import "sync"

// Rates holds the bank's exchange rates. A currency's rate is what 100
// cents of it are worth in euro cents: a rate of 92 for "USD" means that
// one dollar is worth 0.92 euros. The rate of "EUR" is 100.
//
// Rates are read on every conversion and changed a few times a day, so a
// sync.RWMutex guards them: any number of readers hold the read lock at
// once, and a writer waits until they have all left. While a writer waits,
// new readers wait too (otherwise a steady stream of readers would starve
// the writer), and that is why a goroutine must never take the read lock
// twice: its second RLock waits behind the writer, which waits for its
// first.
//
// The methods are safe for concurrent use. A Rates must be made with
// NewRates.
type Rates struct {
	mu    sync.RWMutex // protects rates
	rates map[string]int64
}

// NewRates returns Rates with a copy of the given rates.
func NewRates(rates map[string]int64) *Rates {
	r := &Rates{rates: make(map[string]int64, len(rates))}
	for currency, rate := range rates {
		r.rates[currency] = rate
	}
	return r
}

// Rate returns the rate of currency, and false if there is none.
func (r *Rates) Rate(currency string) (int64, bool) {
	r.mu.RLock()
	defer r.mu.RUnlock()
	rate, ok := r.rates[currency]
	return rate, ok
}

// Set sets the rate of currency, which must be positive. It waits until
// every conversion in progress has finished.
func (r *Rates) Set(currency string, rate int64) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.rates[currency] = rate
}

// Convert converts amount cents of currency from into cents of currency to,
// rounding down: amount × rate(from) / rate(to). It returns
// ErrUnknownCurrency if either currency has no rate.
//
// Convert reads both rates under one read lock, so that a Set cannot slip
// in between the two reads and mix an old rate with a new one. A Set that
// arrives while Convert reads waits until Convert has finished.
//
// Test hook: Convert calls whileReading (if it is not nil) while it holds
// the read lock, before it reads the first rate.
func (r *Rates) Convert(amount int64, from, to string) (int64, error) {
	r.mu.RLock()
	defer r.mu.RUnlock()
	if whileReading != nil {
		whileReading()
	}
	// TODO: Rate takes the read lock again. That works until a Set starts
	// waiting between the two RLocks: the writer waits for this reader to
	// leave, and this reader's second RLock waits behind the writer.
	// Read the rates without taking the lock a second time.
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
