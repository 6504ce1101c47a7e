// Mistake: Close takes no lock at all, so that it cannot lock a.mu twice.
//
// The re-entrant Lock is gone, and one goroutine alone sees the right
// payout. But a Deposit in another goroutine writes the balance with the
// lock held while Close reads and zeroes it without: a data race, and the
// deposit can be wiped out.
//
// Replaces: close.go
// Kind: data race
// Expect: data race: memory that the lock protects was used without the lock

package lockpitfalls

func (a *Account) Close() (int64, error) {
	if a.closed {
		return 0, ErrClosed
	}
	// No lock: reading the fields directly cannot deadlock.
	payout := a.balance
	a.balance = 0
	a.closed = true
	return payout, nil
}
