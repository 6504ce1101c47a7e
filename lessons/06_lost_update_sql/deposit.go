package lostupdatesql

import "context"

// Deposit adds amount to the balance of account id and adds one to its
// version. Any number of deposits may run at once, from any number of
// Banks, and every one of them counts.
//
// Errors: ErrInvalidAmount if amount <= 0, ErrNoAccount if there is no
// such account; in both cases nothing is written.
func (b *Bank) Deposit(ctx context.Context, id string, amount int64) error {
	// TODO: (task 1) two deposits that both read the balance before either
	// writes lose one of them. Let the database do the arithmetic in one
	// statement, check the input, and find out whether the account exists.
	var balance int64
	if err := b.db.QueryRowContext(ctx, `SELECT balance FROM accounts WHERE id = ?`, id).Scan(&balance); err != nil {
		return err
	}
	b.aboutToWrite()
	_, err := b.db.ExecContext(ctx, `UPDATE accounts SET balance = ? WHERE id = ?`, balance+amount, id)
	return err
}

// Withdraw takes amount from the balance of account id and adds one to its
// version, but only if the balance stays zero or more: when two
// withdrawals race for the last money, one of them gets it and the other
// gets ErrInsufficientFunds. A balance never goes negative.
//
// Errors: ErrInvalidAmount if amount <= 0, ErrNoAccount if there is no
// such account, ErrInsufficientFunds if the balance is less than amount;
// in every case nothing is written.
func (b *Bank) Withdraw(ctx context.Context, id string, amount int64) error {
	// TODO: (task 1) the check and the write are two statements, so two
	// withdrawals can both pass the check. Put the check into the write.
	var balance int64
	if err := b.db.QueryRowContext(ctx, `SELECT balance FROM accounts WHERE id = ?`, id).Scan(&balance); err != nil {
		return err
	}
	if balance < amount {
		return ErrInsufficientFunds
	}
	b.aboutToWrite()
	_, err := b.db.ExecContext(ctx, `UPDATE accounts SET balance = ? WHERE id = ?`, balance-amount, id)
	return err
}
