// Mistake: Apply wraps the error that change returned.
//
// `fmt.Errorf("apply to %q: %w", id, err)` is good Go style elsewhere, and
// errors.Is still matches, but the doc promises the error change returns,
// unchanged: a caller that compares with == or switches on a sentinel
// value no longer recognises its own error.
//
// Replaces: apply.go
// Kind: test failed
// Expect: wraps the error of change

package lostupdatesql

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
)

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
			return fmt.Errorf("apply to %q: %w", id, err)
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
