package lostupdatesql

import "context"

// txOptions is added to the DSN that Open connects with: driver options for
// the pool's connections and transactions.
//
// TODO: (task 3, optional) Hint 7 shows a DSN parameter that changes how
// transactions begin.
const txOptions = ""

// Transfer moves amount from account from to account to, and adds one to
// the version of each. It is all or nothing: either both balances change,
// or neither does, even if a statement fails halfway or the process dies.
// Concurrent transfers never overdraw an account and never create or lose
// money, and a transfer does not fail just because other transfers were
// writing at the same moment (SQLite's "database is locked", SQLITE_BUSY).
//
// Errors: ErrInvalidAmount if amount <= 0, ErrSameAccount if from == to,
// ErrNoAccount if either account does not exist, ErrInsufficientFunds if
// from has less than amount; any other error of the database. In every
// case nothing is written.
func (b *Bank) Transfer(ctx context.Context, from, to string, amount int64) error {
	// TODO: (task 3) make the check and both writes one transaction that
	// cannot overdraw, cannot half-happen, and survives SQLITE_BUSY.
	var balance int64
	if err := b.db.QueryRowContext(ctx, `SELECT balance FROM accounts WHERE id = ?`, from).Scan(&balance); err != nil {
		return err
	}
	if balance < amount {
		return ErrInsufficientFunds
	}
	b.aboutToWrite()
	if _, err := b.db.ExecContext(ctx, `UPDATE accounts SET balance = ? WHERE id = ?`, balance-amount, from); err != nil {
		return err
	}
	_, err := b.db.ExecContext(ctx, `UPDATE accounts SET balance = balance + ? WHERE id = ?`, amount, to)
	return err
}
