// Mistake: a deferred Unlock plus an explicit Unlock on one path.
//
// The defer was added as the fix, but the old Unlock before the early
// return stayed. On that path the mutex is unlocked twice, and the second
// Unlock is a fatal error ("sync: unlock of unlocked mutex") that stops the
// whole program; recover cannot catch it.
//
// Replaces: withdraw.go
// Kind: panic
// Expect: Unlock called twice

package lockpitfalls

// Withdraw takes amount cents out of the account.
func (a *Account) Withdraw(amount int64) error {
	if amount <= 0 {
		return ErrInvalidAmount
	}
	a.mu.Lock()
	defer a.mu.Unlock()
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
	return nil
}
