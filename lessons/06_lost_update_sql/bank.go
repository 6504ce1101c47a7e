// Package lostupdatesql is lesson 06: the lost update of lesson 05 in a real
// database. A small bank keeps accounts in SQLite, reached through
// database/sql and a pool of connections, and its deposits, withdrawals and
// transfers must stay exact when many of them run at once: an atomic UPDATE,
// optimistic locking with a version column, and a transaction that either
// moves the money or changes nothing.
//
// This file is the bank's fixed part, which the tests rely on: do not edit
// it. The tasks are in deposit.go (task 1), apply.go (task 2) and
// transfer.go (task 3).
package lostupdatesql

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	_ "modernc.org/sqlite" // registers the "sqlite" driver: SQLite in pure Go, no cgo, no server
)

// The errors the Bank's methods return for bad input and for refused
// operations. Methods may wrap them with more detail; compare with
// errors.Is. An operation that returns one of them has changed nothing.
var (
	// ErrInvalidAmount: an amount was zero or negative, or an opening
	// balance was negative.
	ErrInvalidAmount = errors.New("amount must be positive")
	// ErrNoAccount: no account has the given id.
	ErrNoAccount = errors.New("no such account")
	// ErrSameAccount: a transfer names the same account twice.
	ErrSameAccount = errors.New("transfer to the same account")
	// ErrInsufficientFunds: the operation would make a balance negative.
	ErrInsufficientFunds = errors.New("insufficient funds")
	// ErrConflict: Apply found the account changed under it on every one
	// of its MaxAttempts attempts. The caller may try again later.
	ErrConflict = errors.New("account changed by others on every attempt")
)

// MaxAttempts is how many times Apply tries its read-change-write before it
// gives up with ErrConflict.
const MaxAttempts = 5

// schema is the one table of the bank. Every statement that changes an
// account's balance also adds one to its version: Apply relies on it to
// notice that someone else wrote the account since it read it.
const schema = `CREATE TABLE IF NOT EXISTS accounts (
	id      TEXT PRIMARY KEY,
	balance INTEGER NOT NULL,
	version INTEGER NOT NULL DEFAULT 0
)`

// A Bank keeps accounts in a SQLite database file. Its methods are safe to
// call from many goroutines at once, and from several Banks (or several
// processes) open on the same file at once: all coordination happens in
// the database, not in Go memory. Make one with Open; the zero Bank is not
// usable.
//
// Every method passes its context to the database, to every statement it
// runs: called with a context that is already done, or that is done before
// its first write, it returns an error that errors.Is ctx.Err() and writes
// nothing. Every method returns the errors of the database, too: one that
// a statement, a Scan, RowsAffected, BeginTx or Commit returns comes back
// to the caller (wrapped or not: errors.Is finds it), never a nil or
// another error in its place, and the method writes nothing after it.
type Bank struct {
	db *sql.DB // a pool of several connections: two calls may run on two connections at once

	// beforeWrite, if not nil, is called once per attempt by Deposit,
	// Withdraw, Apply and Transfer: after the operation has read what it
	// needs (if it reads anything) and right before its first statement
	// that changes a balance. The tests set it to make two operations
	// meet there, which is where a lost update happens. Keep the calls to
	// aboutToWrite where a write is about to happen.
	beforeWrite func()
}

// Open opens (and creates, if needed) the database file at path and
// returns a Bank on it. The caller must Close the Bank.
func Open(path string) (*Bank, error) {
	db, err := sql.Open("sqlite", dsn(path))
	if err != nil {
		return nil, err
	}
	return newBank(db)
}

// dsn is the data source name with which Open connects to the file at path.
// WAL lets readers go on while one connection writes; busy_timeout makes a
// connection that finds the database locked by a writer wait up to 5 seconds
// for it, instead of failing at once with SQLITE_BUSY. txOptions
// (transfer.go) may add more.
func dsn(path string) string {
	return path + "?_pragma=busy_timeout(5000)&_pragma=journal_mode(WAL)&_pragma=synchronous(NORMAL)" + txOptions
}

// newBank sizes the pool db, creates the schema if it is missing, and
// returns a Bank on db; if it fails, it closes db. Open uses it, and so do
// the tests, to open a Bank whose connections they make fail on purpose:
// with Open's dsn, but through a database/sql connector of their own.
func newBank(db *sql.DB) (*Bank, error) {
	db.SetMaxOpenConns(4)
	db.SetMaxIdleConns(4)
	if _, err := db.Exec(schema); err != nil {
		db.Close()
		return nil, fmt.Errorf("create schema: %w", err)
	}
	return &Bank{db: db}, nil
}

// Close closes the database. No method may be called after Close.
func (b *Bank) Close() error { return b.db.Close() }

// aboutToWrite calls the test hook, if there is one.
func (b *Bank) aboutToWrite() {
	if b.beforeWrite != nil {
		b.beforeWrite()
	}
}

// CreateAccount adds an account with the given opening balance, which must
// not be negative (ErrInvalidAmount). It fails if the id is taken.
func (b *Bank) CreateAccount(ctx context.Context, id string, balance int64) error {
	if balance < 0 {
		return fmt.Errorf("open %q with %d: %w", id, balance, ErrInvalidAmount)
	}
	_, err := b.db.ExecContext(ctx, `INSERT INTO accounts (id, balance) VALUES (?, ?)`, id, balance)
	return err
}

// Balance returns the balance of account id, or ErrNoAccount.
func (b *Bank) Balance(ctx context.Context, id string) (int64, error) {
	var balance int64
	err := b.db.QueryRowContext(ctx, `SELECT balance FROM accounts WHERE id = ?`, id).Scan(&balance)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, fmt.Errorf("balance of %q: %w", id, ErrNoAccount)
	}
	return balance, err
}

// querier is what *sql.DB and *sql.Tx have in common that exists needs.
type querier interface {
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
}

// exists returns nil if account id exists, ErrNoAccount if it does not, or
// the database's error. q is the pool, or a transaction to ask inside it.
// Accounts are never deleted, so an account that exists stays.
func (b *Bank) exists(ctx context.Context, q querier, id string) error {
	var one int
	err := q.QueryRowContext(ctx, `SELECT 1 FROM accounts WHERE id = ?`, id).Scan(&one)
	if errors.Is(err, sql.ErrNoRows) {
		return ErrNoAccount
	}
	return err
}
