// Mistake: Transfer checks the funds with Balance before it locks.
//
// `if from.Balance() < amount { return ErrInsufficientFunds }` first, then
// both locks in ID order and the move. The check and the change are in two
// critical sections: money that leaves from in between is taken again, and
// the account is overdrawn.
//
// Replaces: transfer.go
// Kind: test failed
// Expect: overdrawn: Transfer checked the funds before it held both locks

package lockpitfalls

func Transfer(from, to *Account, amount int64) error {
	if from == to {
		return ErrSameAccount
	}
	if amount <= 0 {
		return ErrInvalidAmount
	}
	if from.Balance() < amount {
		return ErrInsufficientFunds
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
	from.balance -= amount
	to.balance += amount
	return nil
}
