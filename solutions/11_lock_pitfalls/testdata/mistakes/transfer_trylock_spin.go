// Mistake: lock from, TryLock to, and back off and retry when it is taken.
//
// No transfer ever waits for a lock while holding one, so it cannot
// deadlock, but there is no order either: two transfers in opposite
// directions can keep taking their first lock, failing their TryLock and
// backing off (a livelock), burning CPU while neither moves.
//
// Replaces: transfer.go
// Kind: test failed
// Expect: backs off and retries
// Expect: the first lock depends on the direction

package lockpitfalls

// Transfer moves amount cents from one account to another, backing off when the second lock is taken.
func Transfer(from, to *Account, amount int64) error {
	if from == to {
		return ErrSameAccount
	}
	if amount <= 0 {
		return ErrInvalidAmount
	}
	for {
		from.mu.Lock()
		if afterFirstLock != nil {
			afterFirstLock(from)
		}
		if to.mu.TryLock() {
			break
		}
		from.mu.Unlock()
	}
	defer from.mu.Unlock()
	defer to.mu.Unlock()
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
