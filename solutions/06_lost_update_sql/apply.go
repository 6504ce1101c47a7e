package lostupdatesql

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
)

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
	for range MaxAttempts {
		var balance, version int64
		err := b.db.QueryRowContext(ctx,
			`SELECT balance, version FROM accounts WHERE id = ?`, id).Scan(&balance, &version)
		if errors.Is(err, sql.ErrNoRows) {
			return fmt.Errorf("apply to %q: %w", id, ErrNoAccount)
		}
		if err != nil {
			return err
		}
		next, err := change(balance)
		if err != nil {
			return err
		}
		if next < 0 {
			return fmt.Errorf("apply to %q: %d would become %d: %w", id, balance, next, ErrInsufficientFunds)
		}
		b.aboutToWrite()
		res, err := b.db.ExecContext(ctx,
			`UPDATE accounts SET balance = ?, version = version + 1 WHERE id = ? AND version = ?`,
			next, id, version)
		if err != nil {
			return err
		}
		n, err := res.RowsAffected()
		if err != nil {
			return err
		}
		if n == 1 {
			return nil
		}
		// Zero rows: the version moved since we read it. Someone else
		// wrote; our next value is computed from a stale balance. Read
		// again.
	}
	return fmt.Errorf("apply to %q: %d attempts: %w", id, MaxAttempts, ErrConflict)
}
