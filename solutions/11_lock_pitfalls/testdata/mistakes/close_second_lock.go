// Mistake: Close reads the balance under one lock and closes the account under a second.
//
// It avoids the re-entrant Balance call by unlocking after the read and
// locking again for the writes, without calling Balance. A deposit that
// lands in the gap is wiped out with the balance. No test hook runs in the
// gap and every access is locked, so neither a forced interleaving nor
// -race sees it: the source check does.
//
// Replaces: close.go
// Kind: test failed
// Expect: Close is not one critical section

package lockpitfalls

func (a *Account) Close() (int64, error) {
	a.mu.Lock()
	if a.closed {
		a.mu.Unlock()
		return 0, ErrClosed
	}
	payout := a.balance
	a.mu.Unlock()

	a.mu.Lock()
	defer a.mu.Unlock()
	a.balance = 0
	a.closed = true
	return payout, nil
}
