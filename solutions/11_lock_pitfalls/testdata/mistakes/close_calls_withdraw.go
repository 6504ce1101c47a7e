// Mistake: Close pays out by calling Withdraw while it holds the lock.
//
// Reusing Withdraw looks tidy, but Withdraw locks a.mu, which Close
// already holds. Go's mutexes are not re-entrant, so the goroutine waits
// for itself. It only works for an empty account, where Withdraw refuses
// the amount before it locks anything.
//
// Replaces: close.go
// Kind: deadlock or hang
// Expect: re-entrant locking

package lockpitfalls

// Close closes the account and returns its balance.
func (a *Account) Close() (int64, error) {
	a.mu.Lock()
	defer a.mu.Unlock()
	if a.closed {
		return 0, ErrClosed
	}
	payout := a.balance
	if payout > 0 {
		if err := a.Withdraw(payout); err != nil {
			return 0, err
		}
	}
	a.closed = true
	return payout, nil
}
