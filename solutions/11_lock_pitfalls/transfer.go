package lockpitfalls

// Transfer moves amount cents from one account to another, atomically: no
// other goroutine sees the money gone from from but not yet in to, and if
// Transfer returns an error neither balance has changed. It returns
// ErrSameAccount if from and to are the same account, ErrInvalidAmount if
// amount is not positive, ErrClosed if either account is closed and
// ErrInsufficientFunds if from has less than amount.
//
// Transfer holds both accounts' locks while it moves the money. Any number
// of transfers may run at the same time, between any accounts, in any
// direction: Transfer(a, b, x) and Transfer(b, a, y) at once must both
// finish.
//
// Test hook: right after locking the first of the two accounts, and before
// locking the second, Transfer calls afterFirstLock (if it is not nil) with
// the account it locked first.
func Transfer(from, to *Account, amount int64) error {
	// Locking one account twice would deadlock (Go's mutexes are not
	// re-entrant), so a transfer to itself is refused before any Lock.
	if from == to {
		return ErrSameAccount
	}
	if amount <= 0 {
		return ErrInvalidAmount
	}
	// One order for the whole bank: the lower ID first, whichever way the
	// money goes. Two transfers that need the same two accounts then want
	// the same one first; the second waits for it while holding nothing,
	// so no cycle of waiting can form, whatever the number of transfers.
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
