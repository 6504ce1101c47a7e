// Mistake: the Unlock is added to one early return and forgotten on another.
//
// The refused withdrawal now unlocks before it returns, but the return for
// a closed account still leaves a.mu locked. Closed accounts are rare, so
// this runs for weeks before the first customer whose account was closed
// tries to withdraw, and every later call on that account hangs.
//
// Replaces: withdraw.go
// Kind: deadlock or hang
// Expect: missing Unlock on an early return

package lockpitfalls

// Withdraw takes amount cents out of the account.
func (a *Account) Withdraw(amount int64) error {
	if amount <= 0 {
		return ErrInvalidAmount
	}
	a.mu.Lock()
	if a.closed {
		return ErrClosed
	}
	if a.balance < amount {
		a.mu.Unlock()
		return ErrInsufficientFunds
	}
	if afterFundsCheck != nil {
		afterFundsCheck(a)
	}
	a.balance -= amount
	a.mu.Unlock()
	return nil
}
