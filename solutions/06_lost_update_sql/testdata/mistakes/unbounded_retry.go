// Mistake: Apply retries until it wins, with no limit.
//
// Under light load it looks perfect. Under steady contention an attempt
// can lose again and again; the request never finishes, holds its
// goroutine and its caller, and more requests pile up behind it.
//
// Replaces: apply.go
// Kind: test failed
// Expect: unbounded retry

package lostupdatesql

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
)

func (b *Bank) Apply(ctx context.Context, id string, change func(balance int64) (int64, error)) error {
	for {
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
			return fmt.Errorf("apply to %q: %w", id, ErrInsufficientFunds)
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
	}
}
