// Mistake: the lock order is right, but the check for a transfer to the same
// account was dropped.
//
// With the accounts sorted by ID, Transfer(a, a) locks a, then a again.
// Go's mutexes are not re-entrant: the second Lock waits for the first,
// held by the same goroutine, forever. One bad request from a client hangs
// the goroutine, and every later use of the account.
//
// Replaces: transfer.go
// Kind: deadlock or hang
// Expect: re-entrant locking

package lockpitfalls

// Transfer moves amount cents from one account to another, atomically.
func Transfer(from, to *Account, amount int64) error {
	if amount <= 0 {
		return ErrInvalidAmount
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
