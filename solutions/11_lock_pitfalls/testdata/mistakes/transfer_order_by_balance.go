// Mistake: Transfer locks the richer account first.
//
// It looks like a global order, but it is not one: balances change with
// every transfer, and on equal balances the tie goes to from, so a→b and
// b→a lock in opposite orders (AB-BA). Most of the time the balances differ
// and the order happens to agree, which is why it seems to work.
//
// Replaces: transfer.go
// Kind: deadlock or hang
// Expect: the first lock depends on the direction (or on the balances)

package lockpitfalls

// Transfer moves amount cents from one account to another, richer account locked first.
func Transfer(from, to *Account, amount int64) error {
	if from == to {
		return ErrSameAccount
	}
	if amount <= 0 {
		return ErrInvalidAmount
	}
	first, second := from, to
	if to.Balance() > from.Balance() {
		first, second = to, from
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
