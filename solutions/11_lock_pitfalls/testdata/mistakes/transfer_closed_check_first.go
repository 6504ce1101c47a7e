// Mistake: Transfer checks whether the accounts are closed before it locks them.
//
// Each account's closed flag is read under its own lock, then both locks
// are taken in ID order and the money moves. An account closed in between
// receives money after its payout, and those cents are lost.
//
// Replaces: transfer.go
// Kind: test failed
// Expect: checked whether the accounts are closed before it held both locks

package lockpitfalls

func Transfer(from, to *Account, amount int64) error {
	if from == to {
		return ErrSameAccount
	}
	if amount <= 0 {
		return ErrInvalidAmount
	}
	if from.isClosed() || to.isClosed() {
		return ErrClosed
	}
	first, second := from, to
	if second.id < first.id {
		first, second = second, first
	}
	first.mu.Lock()
	defer first.mu.Unlock()
	if afterFirstLock != nil {
		afterFirstLock(first)
	}
	second.mu.Lock()
	defer second.mu.Unlock()

	if from.balance < amount {
		return ErrInsufficientFunds
	}
	from.balance -= amount
	to.balance += amount
	return nil
}

// isClosed reports whether the account is closed.
func (a *Account) isClosed() bool {
	a.mu.Lock()
	defer a.mu.Unlock()
	return a.closed
}
