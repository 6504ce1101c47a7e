// Mistake: Withdraw checks the funds under one lock and subtracts under another.
//
// Every access is locked, so -race is silent and nothing deadlocks, but
// the decision is not protected: two withdrawals can both check the same
// balance before either takes the money, and the account goes negative.
//
// Replaces: withdraw.go
// Kind: test failed
// Expect: overdrawn: check-then-act

package lockpitfalls

// Withdraw takes amount cents out of the account.
func (a *Account) Withdraw(amount int64) error {
	if amount <= 0 {
		return ErrInvalidAmount
	}
	a.mu.Lock()
	closed, balance := a.closed, a.balance
	a.mu.Unlock()
	if closed {
		return ErrClosed
	}
	if balance < amount {
		return ErrInsufficientFunds
	}
	if afterFundsCheck != nil {
		afterFundsCheck(a)
	}
	a.mu.Lock()
	a.balance -= amount
	a.mu.Unlock()
	return nil
}
