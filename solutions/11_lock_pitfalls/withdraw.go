package lockpitfalls

// Withdraw takes amount cents out of the account. It returns
// ErrInvalidAmount if amount is not positive, ErrClosed if the account is
// closed and ErrInsufficientFunds if the balance is less than amount; the
// balance is then unchanged.
//
// Whatever it returns, Withdraw has released the account's lock: the next
// call on the account, from any goroutine, must not wait for it.
//
// Test hook: once Withdraw has found that the balance covers amount, and
// before it takes the money out, it calls afterFundsCheck (if it is not
// nil) with the account.
func (a *Account) Withdraw(amount int64) error {
	if amount <= 0 {
		return ErrInvalidAmount
	}
	a.mu.Lock()
	defer a.mu.Unlock() // runs on every return below, and on a panic
	if a.closed {
		return ErrClosed
	}
	if a.balance < amount {
		return ErrInsufficientFunds
	}
	if afterFundsCheck != nil {
		afterFundsCheck(a)
	}
	a.balance -= amount
	return nil
}
