package lostupdatesql

import "context"

// Apply changes the balance of account id to change(balance), for changes
// that are computed in Go rather than in SQL (interest, fees, rounding
// rules). It uses optimistic locking: it reads the balance and the
// version, calls change, and writes the new balance only if the version is
// still the one it read, adding one to it. If another write came in
// between, Apply reads again and calls change again, at most MaxAttempts
// times in all, and then returns ErrConflict. change may therefore be
// called more than once and must depend only on its argument.
//
// Errors: ErrNoAccount if there is no such account (change is not
// called); the error change returns, unchanged; ErrInsufficientFunds if
// change returns a negative balance; ErrConflict as above. In every case
// nothing is written.
func (b *Bank) Apply(ctx context.Context, id string, change func(balance int64) (int64, error)) error {
	// TODO: (task 2) read the version too, write only if it is unchanged,
	// look at how many rows the write changed, and retry a bounded number
	// of times.
	var balance int64
	if err := b.db.QueryRowContext(ctx, `SELECT balance FROM accounts WHERE id = ?`, id).Scan(&balance); err != nil {
		return err
	}
	next, err := change(balance)
	if err != nil {
		return err
	}
	b.aboutToWrite()
	_, err = b.db.ExecContext(ctx, `UPDATE accounts SET balance = ? WHERE id = ?`, next, id)
	return err
}
