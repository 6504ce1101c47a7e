// Mistake: the deadlock is avoided by never holding both locks, and the
// transfer is no longer atomic.
//
// Transfer takes the money out of from under from's lock, unlocks, and then
// puts it into to under to's lock. No goroutine ever waits while holding a
// lock, so there is no deadlock; but between the two steps the money is in
// neither account, and when the second step fails (the destination is
// closed) it is gone for good.
//
// Replaces: transfer.go
// Kind: test failed
// Expect: cents vanished

package lockpitfalls

// Transfer moves amount cents from one account to another.
func Transfer(from, to *Account, amount int64) error {
	if from == to {
		return ErrSameAccount
	}
	if amount <= 0 {
		return ErrInvalidAmount
	}
	from.mu.Lock()
	if afterFirstLock != nil {
		afterFirstLock(from)
	}
	if from.closed {
		from.mu.Unlock()
		return ErrClosed
	}
	if from.balance < amount {
		from.mu.Unlock()
		return ErrInsufficientFunds
	}
	from.balance -= amount
	from.mu.Unlock()

	to.mu.Lock()
	defer to.mu.Unlock()
	if to.closed {
		return ErrClosed
	}
	to.balance += amount
	return nil
}
