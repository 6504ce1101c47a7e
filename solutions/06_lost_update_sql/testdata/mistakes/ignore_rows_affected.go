// Mistake: Apply writes WHERE version = ?, but never looks at how many rows it changed.
//
// When another writer got in first, the UPDATE matches no row. To SQL
// that is a success, so Apply returns nil and the caller believes the
// change was made: the update is lost silently instead of retried.
//
// Replaces: apply.go
// Kind: test failed
// Expect: ignored the affected-rows count

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
	_, err = b.db.ExecContext(ctx,
		`UPDATE accounts SET balance = ?, version = version + 1 WHERE id = ? AND version = ?`,
		next, id, version)
	if err != nil {
		return err
	}
	return nil
}
