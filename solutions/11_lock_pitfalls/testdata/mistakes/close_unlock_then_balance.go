// Mistake: Close unlocks around Balance to avoid the re-entrant Lock.
//
// The deadlock is gone, but the check, the read and the write are now
// three critical sections. A deposit that lands after the read is wiped
// out with the balance, and a second Close in the gap pays the balance out
// twice. The gap is a few instructions wide, so it almost never shows.
//
// Replaces: close.go
// Kind: test failed
// Expect: Close is no longer atomic
// Expect: cents lost

package lockpitfalls

// Close closes the account and returns its balance.
func (a *Account) Close() (int64, error) {
	a.mu.Lock()
	if a.closed {
		a.mu.Unlock()
		return 0, ErrClosed
	}
	a.mu.Unlock()
	payout := a.Balance()
	a.mu.Lock()
	a.balance = 0
	a.closed = true
	a.mu.Unlock()
	return payout, nil
}
