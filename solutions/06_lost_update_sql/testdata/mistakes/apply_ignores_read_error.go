// Mistake: Apply handles sql.ErrNoRows after its SELECT, and no other error.
//
// A lookup that finds nothing is the only failure a Node.js developer
// expects from a read, so that is the only one checked. When the read
// fails for another reason, Scan leaves balance and version at zero, and
// Apply goes on: it calls change(0) and writes WHERE version = 0, which
// the account of a new bank matches. The database failed, and Apply
// overwrote the balance and reported success.
//
// Replaces: apply.go
// Kind: test failed
// Expect: the error of QueryContext was dropped
// Expect: and wrote anyway

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
		// Node habit: the only failure of a lookup is "not found".
		if errors.Is(err, sql.ErrNoRows) {
			return fmt.Errorf("apply to %q: %w", id, ErrNoAccount)
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
