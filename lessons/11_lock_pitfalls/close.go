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
	// TODO: a.Balance locks a.mu, which Close already holds. Go's mutexes
	// are not re-entrant, so this call waits for Close to unlock, and Close
	// waits for the call: a deadlock in one goroutine. Read the balance
	// without locking again.
	payout := a.Balance()
	a.balance = 0
	a.closed = true
	return payout, nil
}
