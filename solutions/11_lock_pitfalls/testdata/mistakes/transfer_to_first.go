// Mistake: an order by role ("always lock the destination first") instead
// of an order over the accounts.
//
// Every transfer follows the same rule, so it looks like a lock order. But
// the destination of Transfer(a, b) is the source of Transfer(b, a): one
// locks b then a, the other a then b, and the AB-BA deadlock is still there.
//
// Replaces: transfer.go
// Kind: deadlock or hang
// Expect: AB-BA lock order

package lockpitfalls

// Transfer moves amount cents from one account to another, atomically.
func Transfer(from, to *Account, amount int64) error {
	if from == to {
		return ErrSameAccount
	}
	if amount <= 0 {
		return ErrInvalidAmount
	}
	to.mu.Lock()
	defer to.mu.Unlock()
	if afterFirstLock != nil {
		afterFirstLock(to)
	}
	from.mu.Lock()
	defer from.mu.Unlock()

	if from.closed || to.closed {
		return ErrClosed
	}
	if from.balance < amount {
		return ErrInsufficientFunds
	}
	from.balance -= amount
	to.balance += amount
	return nil
}
