// Mistake: Apply checks the version but gives up at the first conflict.
//
// Nothing is lost, but a conflict is the normal case of optimistic locking,
// not an exception: with two concurrent callers one of them fails every
// time, although a second attempt would have succeeded.
//
// Replaces: apply.go
// Kind: test failed
// Expect: version check without retry

package lostupdatesql

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
)

func (b *Bank) Apply(ctx context.Context, id string, change func(balance int64) (int64, error)) error {
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
	if n == 0 {
		return fmt.Errorf("apply to %q: %w", id, ErrConflict)
	}
	return nil
}
