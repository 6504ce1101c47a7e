package lockpitfalls

// Close closes the account and returns its balance, which the bank pays out
// to the owner. Afterwards the balance is 0, and Deposit, Withdraw and
// Transfer on the account return ErrClosed. Closing an account that is
// already closed returns 0 and ErrClosed.
//
// Close reads the balance and closes the account in one critical section,
// so that no deposit can land between the two and be lost.
func (a *Account) Close() (int64, error) {
	a.mu.Lock()
	defer a.mu.Unlock()
	if a.closed {
		return 0, ErrClosed
	}
	// a.mu is held: read the field, do not call Balance, which would lock
	// a.mu again and wait for this very goroutine.
	payout := a.balance
	a.balance = 0
	a.closed = true
	return payout, nil
}
