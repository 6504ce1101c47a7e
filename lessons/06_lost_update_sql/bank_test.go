package lostupdatesql

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"path/filepath"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"

	"github.com/gokatas/concurrency/lessons/internal/katatest"
)

func TestMain(m *testing.M) { katatest.Main(m) }

// These tests do real database I/O, outside synctest bubbles (a goroutine
// waiting for SQLite's lock is not durably blocked), so they force the bad
// interleavings with a katatest.Barrier in the Bank's beforeWrite hook, and
// they get a longer watchdog than the course's default.
const dbLimit = 20 * time.Second

// opening is an account a test starts with.
type opening struct {
	id      string
	balance int64
}

// fixture is one test's database: a fresh file, the Bank under test, and
// the test's own connection to the same file. The test uses its own
// connection to create accounts and to look at the rows, so that what it
// checks never depends on the code under test.
type fixture struct {
	t    *testing.T
	path string
	bank *Bank
	db   *sql.DB
}

// newFixture starts the watchdog, opens a fresh database with the given
// accounts, and closes everything when the test ends. It also installs an
// audit trigger that records every balance that is ever written below zero.
func newFixture(t *testing.T, hint int, accounts ...opening) *fixture {
	t.Helper()
	katatest.WatchdogAfter(t, dbLimit, hint)
	f := &fixture{t: t, path: filepath.Join(t.TempDir(), "bank.db")}
	f.bank = f.openBank()
	db, err := sql.Open("sqlite", f.path+"?_pragma=busy_timeout(5000)")
	if err != nil {
		t.Fatalf("open the test's own connection: %v", err)
	}
	t.Cleanup(func() { db.Close() })
	f.db = db
	f.exec(`CREATE TABLE negative_balances (id TEXT, balance INTEGER)`)
	f.exec(`CREATE TRIGGER audit_negative AFTER UPDATE ON accounts WHEN NEW.balance < 0
		BEGIN INSERT INTO negative_balances VALUES (NEW.id, NEW.balance); END`)
	for _, a := range accounts {
		f.exec(`INSERT INTO accounts (id, balance) VALUES (?, ?)`, a.id, a.balance)
	}
	return f
}

// openBank opens a Bank on the fixture's file, as another server process
// would, and closes it when the test ends.
func (f *fixture) openBank() *Bank {
	f.t.Helper()
	b, err := Open(f.path)
	if err != nil {
		f.t.Fatalf("Open(%q): %v", f.path, err)
	}
	f.t.Cleanup(func() { b.Close() })
	return b
}

func (f *fixture) exec(query string, args ...any) {
	f.t.Helper()
	if _, err := f.db.Exec(query, args...); err != nil {
		f.t.Fatalf("test setup: %s: %v", query, err)
	}
}

// row reads balance and version of account id with the test's own connection.
func (f *fixture) row(id string) (balance, version int64) {
	f.t.Helper()
	err := f.db.QueryRow(`SELECT balance, version FROM accounts WHERE id = ?`, id).Scan(&balance, &version)
	if err != nil {
		f.t.Fatalf("read account %q: %v", id, err)
	}
	return balance, version
}

func (f *fixture) balance(id string) int64 { b, _ := f.row(id); return b }
func (f *fixture) version(id string) int64 { _, v := f.row(id); return v }

func (f *fixture) rowCount() int {
	f.t.Helper()
	var n int
	if err := f.db.QueryRow(`SELECT count(*) FROM accounts`).Scan(&n); err != nil {
		f.t.Fatalf("count accounts: %v", err)
	}
	return n
}

// checkNeverNegative fails the test if any balance was ever written below
// zero, even if a later write brought it back up.
func (f *fixture) checkNeverNegative(hint int) {
	f.t.Helper()
	var id string
	var balance int64
	err := f.db.QueryRow(`SELECT id, balance FROM negative_balances LIMIT 1`).Scan(&id, &balance)
	if errors.Is(err, sql.ErrNoRows) {
		return
	}
	if err != nil {
		f.t.Fatalf("read the audit table: %v", err)
	}
	f.t.Error(katatest.Failure{
		Want:  "no balance is ever written below zero",
		Got:   fmt.Sprintf("account %q was written with balance %d", id, balance),
		Means: "an account was overdrawn. Usually the balance was checked in one statement and taken in another, and a second operation passed the same check in between",
		Hint:  hint,
	})
}

// meetBeforeWrite makes the first two operations that reach beforeWrite, in
// any of the given Banks, wait there for each other: both have read before
// either writes. It returns the number of beforeWrite calls so far.
func meetBeforeWrite(banks ...*Bank) *atomic.Int32 {
	var calls atomic.Int32
	meet := katatest.NewBarrier(2)
	for _, b := range banks {
		b.beforeWrite = func() {
			calls.Add(1)
			meet.Wait()
		}
	}
	return &calls
}

// checkHookCalled fails the test if the code never called beforeWrite:
// without the call, the test cannot force the interleaving it is about.
func (f *fixture) checkHookCalled(calls *atomic.Int32, atLeast int32, op string) {
	f.t.Helper()
	if n := calls.Load(); n < atLeast {
		f.t.Error(katatest.Failure{
			Want: fmt.Sprintf("%s calls b.aboutToWrite() right before it writes: at least %d calls here", op, atLeast),
			Got:  fmt.Sprintf("%d calls", n),
			Means: "the test hook was not called, so this test cannot make two operations meet between read and write. " +
				"Keep the b.aboutToWrite() call, once per attempt, right before the statement that changes a balance",
		})
	}
}

// panicked is the error runConcurrently and try record for an operation
// that panicked.
type panicked struct{ value any }

func (p panicked) Error() string { return fmt.Sprintf("panic: %v", p.value) }

// try runs op and turns a panic into an error.
func try(op func() error) (err error) {
	defer func() {
		if v := recover(); v != nil {
			err = panicked{v}
		}
	}()
	return op()
}

// runConcurrently runs op(0) ... op(n-1), each in a goroutine of its own,
// and returns their errors by index once all have returned.
func runConcurrently(n int, op func(i int) error) []error {
	errs := make([]error, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() { errs[i] = try(func() error { return op(i) }) })
	}
	wg.Wait()
	return errs
}

// nameOf names a sentinel error the way the code spells it.
func nameOf(err error) string {
	for _, e := range []struct {
		err  error
		name string
	}{
		{ErrInvalidAmount, "ErrInvalidAmount"}, {ErrNoAccount, "ErrNoAccount"}, {ErrSameAccount, "ErrSameAccount"},
		{ErrInsufficientFunds, "ErrInsufficientFunds"}, {ErrConflict, "ErrConflict"}, {errFrozen, "the error of change"},
	} {
		if err == e.err {
			return e.name
		}
	}
	return fmt.Sprintf("%q", err)
}

// isSQLiteBusy reports whether err is SQLite's "database is locked".
func isSQLiteBusy(err error) bool {
	var e *sqlite.Error
	return errors.As(err, &e) && e.Code()&0xff == sqlite3.SQLITE_BUSY
}

// unexpected explains an error that an operation should not have returned.
func (f *fixture) unexpected(op string, err error, want string, hint int) {
	f.t.Helper()
	var p panicked
	switch {
	case errors.As(err, &p):
		f.t.Error(katatest.Failure{
			Want:  want,
			Got:   fmt.Sprintf("%s panicked: %v", op, p.value),
			Means: "a bank operation must return an error value, never panic",
			Hint:  hint,
		})
	case isSQLiteBusy(err):
		f.t.Error(katatest.Failure{
			Want: want,
			Got:  fmt.Sprintf("%s returned %q", op, err),
			Means: "SQLITE_BUSY: the operation met another writer and gave up. A transaction that reads first and writes later " +
				"cannot wait for SQLite's write lock; it fails at once. Retry the whole transaction, or begin it as a writer (BEGIN IMMEDIATE)",
			Hint: 7,
		})
	case errors.Is(err, sql.ErrNoRows):
		f.t.Error(katatest.Failure{
			Want:  want,
			Got:   fmt.Sprintf("%s returned %v", op, err),
			Means: "sql.ErrNoRows leaked out of the bank: a SELECT found no account. Return ErrNoAccount instead, as the doc comment promises",
			Hint:  hint,
		})
	case err == nil:
		f.t.Error(katatest.Failure{
			Want:  want,
			Got:   op + " returned nil",
			Means: "the operation reported success where it had to refuse",
			Hint:  hint,
		})
	default:
		f.t.Error(katatest.Failure{
			Want:  want,
			Got:   fmt.Sprintf("%s returned %v", op, err),
			Means: "the operation failed with an error that it should not have returned here",
			Hint:  hint,
		})
	}
}

// tally counts the nil errors and those that match refused (if not nil),
// and reports the first other error. It returns ok=false if there was one.
func (f *fixture) tally(op string, errs []error, refused error, hint int) (succeeded, refusedCount int, ok bool) {
	f.t.Helper()
	want := "every call returns nil"
	if refused != nil {
		want = "every call returns nil or an error that errors.Is " + nameOf(refused)
	}
	for _, err := range errs {
		switch {
		case err == nil:
			succeeded++
		case refused != nil && errors.Is(err, refused):
			refusedCount++
		default:
			f.unexpected(op, err, want, hint)
			return succeeded, refusedCount, false
		}
	}
	return succeeded, refusedCount, true
}

// lostUpdate is the explanation for a balance that lost some writes.
const lostUpdate = "a lost update: operations read the same balance before either wrote, and each UPDATE wrote a value computed in Go " +
	"from that stale read, overwriting the other. A SELECT and then an UPDATE are two statements, and other writes fit between them"

// Task 1: two deposits at once.
func TestDeposit_TwoAtOnce(t *testing.T) {
	f := newFixture(t, 1, opening{"alice", 100})
	calls := meetBeforeWrite(f.bank)
	amounts := []int64{10, 20}
	errs := runConcurrently(2, func(i int) error { return f.bank.Deposit(t.Context(), "alice", amounts[i]) })
	if _, _, ok := f.tally("Deposit", errs, nil, 1); !ok {
		return
	}
	f.checkHookCalled(calls, 2, "Deposit")
	if got := f.balance("alice"); got != 130 {
		t.Error(katatest.Failure{
			Want:  "balance 130: 100 + 10 + 20",
			Got:   fmt.Sprint(got),
			Means: lostUpdate,
			Hint:  1,
		})
	}
}

// Task 1: many deposits at once.
func TestDeposit_ManyAtOnce(t *testing.T) {
	f := newFixture(t, 1, opening{"alice", 0})
	calls := meetBeforeWrite(f.bank)
	const n = 100
	errs := runConcurrently(n, func(i int) error { return f.bank.Deposit(t.Context(), "alice", int64(i+1)) })
	if _, _, ok := f.tally("Deposit", errs, nil, 1); !ok {
		return
	}
	f.checkHookCalled(calls, n, "Deposit")
	balance, version := f.row("alice")
	if balance != n*(n+1)/2 {
		t.Error(katatest.Failure{
			Want:  fmt.Sprintf("balance %d: the sum of 100 deposits of 1, 2, ..., 100", n*(n+1)/2),
			Got:   fmt.Sprintf("%d (%d of the money deposited is missing)", balance, n*(n+1)/2-balance),
			Means: lostUpdate,
			Hint:  1,
		})
	}
	if version != n {
		t.Error(katatest.Failure{
			Want:  fmt.Sprintf("version %d: every deposit adds one to the version", n),
			Got:   fmt.Sprint(version),
			Means: "some deposits did not add one to the version, or lost each other's increment. Apply (task 2) relies on it",
			Hint:  4,
		})
	}
}

// Task 1: two Banks on one file are two servers on one database.
func TestDeposit_TwoBanksOneFile(t *testing.T) {
	f := newFixture(t, 2, opening{"alice", 100})
	other := f.openBank()
	calls := meetBeforeWrite(f.bank, other)
	banks := []*Bank{f.bank, other}
	amounts := []int64{10, 20}
	errs := runConcurrently(2, func(i int) error { return banks[i].Deposit(t.Context(), "alice", amounts[i]) })
	if _, _, ok := f.tally("Deposit", errs, nil, 2); !ok {
		return
	}
	f.checkHookCalled(calls, 2, "Deposit")
	if got := f.balance("alice"); got != 130 {
		t.Error(katatest.Failure{
			Want: "balance 130: 100 + 10 through one Bank + 20 through another Bank on the same file",
			Got:  fmt.Sprint(got),
			Means: "a lost update between two Banks. A sync.Mutex in one Bank protects that Bank's memory, not the row: " +
				"a second Bank, a second process or a second server never sees it. Only the database sees every writer",
			Hint: 2,
		})
	}
}

// Task 1: two withdrawals race for the last money.
func TestWithdraw_NeverOverdraws(t *testing.T) {
	f := newFixture(t, 3, opening{"alice", 100})
	calls := meetBeforeWrite(f.bank)
	errs := runConcurrently(2, func(int) error { return f.bank.Withdraw(t.Context(), "alice", 70) })
	ok, refused, fine := f.tally("Withdraw", errs, ErrInsufficientFunds, 3)
	if !fine {
		return
	}
	f.checkHookCalled(calls, 1, "Withdraw")
	f.checkNeverNegative(3)
	got, version := f.row("alice")
	switch {
	case ok == 1 && refused == 1 && got == 30:
	case ok == 2 && got == 30 && version == 1:
		t.Error(katatest.Failure{
			Want:  "one withdrawal of 70 from 100 succeeds, the other returns ErrInsufficientFunds; balance 30",
			Got:   "both returned nil, but only one wrote (balance 30, version 1)",
			Means: "the second withdrawal was refused by its WHERE, yet reported success: " + ignoredRows,
			Hint:  3,
		})
	case ok == 2 && got < 0:
		t.Error(katatest.Failure{
			Want: "one withdrawal of 70 from 100 succeeds, the other returns ErrInsufficientFunds; balance 30",
			Got:  fmt.Sprintf("both succeeded; balance %d", got),
			Means: "the account was overdrawn: both withdrawals passed the balance check before either wrote. " +
				"A check in one statement and a write in another is check-then-act; put the check in the UPDATE's WHERE",
			Hint: 3,
		})
	case ok == 2:
		t.Error(katatest.Failure{
			Want:  "one withdrawal of 70 from 100 succeeds, the other returns ErrInsufficientFunds; balance 30",
			Got:   fmt.Sprintf("both succeeded; balance %d", got),
			Means: "the bank paid out 140 from 100 and the balance shows one withdrawal: " + lostUpdate,
			Hint:  3,
		})
	default:
		t.Error(katatest.Failure{
			Want:  "one withdrawal of 70 from 100 succeeds, the other returns ErrInsufficientFunds; balance 30",
			Got:   fmt.Sprintf("%d succeeded, %d refused; balance %d", ok, refused, got),
			Means: "the withdrawals did not share the money exactly: look at how Withdraw decides whether there is enough",
			Hint:  3,
		})
	}
}

// Task 1: many withdrawals race for the money.
func TestWithdraw_ManyAtOnce(t *testing.T) {
	f := newFixture(t, 3, opening{"alice", 1000})
	calls := meetBeforeWrite(f.bank)
	const n = 50
	errs := runConcurrently(n, func(int) error { return f.bank.Withdraw(t.Context(), "alice", 30) })
	ok, refused, fine := f.tally("Withdraw", errs, ErrInsufficientFunds, 3)
	if !fine {
		return
	}
	f.checkHookCalled(calls, 1, "Withdraw")
	f.checkNeverNegative(3)
	balance, version := f.row("alice")
	if ok != 33 || refused != 17 || balance != 10 || version != 33 {
		t.Error(katatest.Failure{
			Want:  "50 withdrawals of 30 from 1000: 33 succeed, 17 return ErrInsufficientFunds; balance 10, version 33",
			Got:   fmt.Sprintf("%d succeeded, %d refused; balance %d, version %d", ok, refused, balance, version),
			Means: "withdrawals were lost or overdrew the account: the check and the write must be one statement",
			Hint:  3,
		})
	}
}

// Task 1: every change to a balance adds one to the version.
func TestDepositWithdraw_BumpVersion(t *testing.T) {
	f := newFixture(t, 4, opening{"alice", 100})
	ctx := t.Context()
	for _, step := range []struct {
		name string
		op   func() error
		want error
	}{
		{"Deposit(alice, 10)", func() error { return f.bank.Deposit(ctx, "alice", 10) }, nil},
		{"Withdraw(alice, 5)", func() error { return f.bank.Withdraw(ctx, "alice", 5) }, nil},
		{"Withdraw(alice, 1000)", func() error { return f.bank.Withdraw(ctx, "alice", 1000) }, ErrInsufficientFunds},
	} {
		if err := try(step.op); !errors.Is(err, step.want) {
			want := "nil"
			if step.want != nil {
				want = "an error that errors.Is " + nameOf(step.want)
			}
			f.unexpected(step.name, err, step.name+" returns "+want, 3)
			return
		}
	}
	balance, version := f.row("alice")
	if balance != 105 || version != 2 {
		t.Error(katatest.Failure{
			Want: "balance 105, version 2: a deposit and a withdrawal each add one; the refused withdrawal changes nothing",
			Got:  fmt.Sprintf("balance %d, version %d", balance, version),
			Means: "every statement that changes a balance must also say version = version + 1: " +
				"that is how Apply (task 2) notices that someone else wrote the account",
			Hint: 4,
		})
	}
}

// badCase is one call with bad input and the error it must return.
type badCase struct {
	name  string
	op    func() error
	want  error
	means string // what a nil error means
}

// checkBadInput runs each case and reports the first wrong result.
func (f *fixture) checkBadInput(cases []badCase, hint int) {
	f.t.Helper()
	for _, c := range cases {
		err := try(c.op)
		if errors.Is(err, c.want) {
			continue
		}
		if err == nil {
			f.t.Error(katatest.Failure{
				Want:  fmt.Sprintf("%s returns an error that errors.Is %s", c.name, nameOf(c.want)),
				Got:   "nil",
				Means: c.means,
				Hint:  hint,
			})
			continue
		}
		f.unexpected(c.name, err, fmt.Sprintf("%s returns an error that errors.Is %s", c.name, nameOf(c.want)), hint)
	}
}

// ignoredRows is the explanation for a nil error from an UPDATE that
// matched no row.
const ignoredRows = "the UPDATE matched no row and the code ignored the affected-rows count (Result.RowsAffected): " +
	"an UPDATE of nothing is not an error to SQL, so the code must look"

// Task 1: bad input is an error value, and writes nothing.
func TestDepositWithdraw_BadInput(t *testing.T) {
	f := newFixture(t, 3, opening{"alice", 100})
	ctx := t.Context()
	f.checkBadInput([]badCase{
		{"Deposit(alice, 0)", func() error { return f.bank.Deposit(ctx, "alice", 0) }, ErrInvalidAmount,
			"a deposit of nothing is a mistake of the caller"},
		{"Deposit(alice, -10)", func() error { return f.bank.Deposit(ctx, "alice", -10) }, ErrInvalidAmount,
			"a negative deposit is a withdrawal without the balance check"},
		{"Deposit(nobody, 10)", func() error { return f.bank.Deposit(ctx, "nobody", 10) }, ErrNoAccount,
			"money was deposited to an account that does not exist: " + ignoredRows},
		{"Withdraw(alice, 0)", func() error { return f.bank.Withdraw(ctx, "alice", 0) }, ErrInvalidAmount,
			"a withdrawal of nothing is a mistake of the caller"},
		{"Withdraw(alice, -10)", func() error { return f.bank.Withdraw(ctx, "alice", -10) }, ErrInvalidAmount,
			"a negative withdrawal is a deposit in disguise"},
		{"Withdraw(nobody, 10)", func() error { return f.bank.Withdraw(ctx, "nobody", 10) }, ErrNoAccount,
			"money was withdrawn from an account that does not exist: " + ignoredRows},
		{"Withdraw(alice, 1000)", func() error { return f.bank.Withdraw(ctx, "alice", 1000) }, ErrInsufficientFunds,
			"a withdrawal of 1000 from 100 reported success: " + ignoredRows},
	}, 3)
	balance, version := f.row("alice")
	if balance != 100 || version != 0 || f.rowCount() != 1 {
		t.Error(katatest.Failure{
			Want:  "nothing written: alice still has 100 at version 0, and no other account exists",
			Got:   fmt.Sprintf("alice has %d at version %d; %d accounts", balance, version, f.rowCount()),
			Means: "a call with bad input wrote to the database; check the input before writing, and write nothing on error",
			Hint:  3,
		})
	}
}

// adder returns a change for Apply that adds n, and counts its calls.
func adder(n int64, calls *atomic.Int32) func(int64) (int64, error) {
	return func(balance int64) (int64, error) {
		calls.Add(1)
		return balance + n, nil
	}
}

// Task 2: two Apply calls at once; the loser of the race retries.
func TestApply_RetriesOnConflict(t *testing.T) {
	f := newFixture(t, 4, opening{"alice", 100})
	calls := meetBeforeWrite(f.bank)
	var changes [2]atomic.Int32
	amounts := []int64{10, 20}
	errs := runConcurrently(2, func(i int) error {
		return f.bank.Apply(t.Context(), "alice", adder(amounts[i], &changes[i]))
	})
	for i, err := range errs {
		if errors.Is(err, ErrConflict) && changes[i].Load() == 1 {
			t.Error(katatest.Failure{
				Want: "both Apply calls return nil: the one that finds the version changed reads again and tries again",
				Got:  fmt.Sprintf("Apply(+%d) returned %v after one attempt", amounts[i], err),
				Means: "a version check without retry: a conflict is the normal case of optimistic locking, " +
					"and Apply must read again, call change again, and write again, up to MaxAttempts times",
				Hint: 5,
			})
			return
		}
	}
	if _, _, ok := f.tally("Apply", errs, nil, 5); !ok {
		return
	}
	f.checkHookCalled(calls, 2, "Apply")
	balance, version := f.row("alice")
	if balance != 130 || version != 2 {
		t.Error(katatest.Failure{
			Want: "balance 130, version 2: 100 + 10 + 20, and each Apply added one to the version",
			Got:  fmt.Sprintf("balance %d, version %d", balance, version),
			Means: "both Apply calls read 100 and both wrote: a lost update. Either the UPDATE does not say WHERE version = <the version read>, " +
				"or it does and the code ignored the affected-rows count: zero rows means someone else wrote first",
			Hint: 4,
		})
	}
}

// Task 2: Apply gives up after MaxAttempts, and not before.
func TestApply_GivesUpAfterMaxAttempts(t *testing.T) {
	f := newFixture(t, 5, opening{"alice", 100})
	// Another writer, with a short busy timeout, changes the account every
	// time Apply is between its read and its write, for the first
	// 3*MaxAttempts attempts.
	other, err := sql.Open("sqlite", f.path+"?_pragma=busy_timeout(300)")
	if err != nil {
		t.Fatal(err)
	}
	defer other.Close()
	var calls atomic.Int32
	var otherErr error
	f.bank.beforeWrite = func() {
		if calls.Add(1) <= 3*MaxAttempts && otherErr == nil {
			_, otherErr = other.Exec(`UPDATE accounts SET version = version + 1 WHERE id = 'alice'`)
		}
	}
	var changes atomic.Int32
	err = try(func() error { return f.bank.Apply(t.Context(), "alice", adder(10, &changes)) })
	attempts := changes.Load()
	if otherErr != nil {
		t.Error(katatest.Failure{
			Want: "another connection can write the account while Apply is between its read and its write",
			Got:  fmt.Sprintf("the other writer failed: %v", otherErr),
			Means: "Apply held the database's write lock while it computed: that is pessimistic locking. " +
				"Task 2 asks for optimistic locking: read without a transaction, write WHERE version = <the version read>",
			Hint: 4,
		})
		return
	}
	f.checkHookCalled(&calls, 1, "Apply")
	balance := f.balance("alice")
	switch {
	case errors.Is(err, ErrConflict) && attempts == MaxAttempts && balance == 100:
	case err == nil && attempts > MaxAttempts:
		t.Error(katatest.Failure{
			Want:  fmt.Sprintf("Apply returns ErrConflict after MaxAttempts (%d) attempts when every attempt meets another writer", MaxAttempts),
			Got:   fmt.Sprintf("it tried %d times and succeeded only when the other writer stopped", attempts),
			Means: "unbounded retry: under steady contention a loop without a limit never ends, and every waiting request piles up behind it",
			Hint:  5,
		})
	case err == nil && balance == 100:
		t.Error(katatest.Failure{
			Want:  "Apply returns ErrConflict: every one of its writes found the version changed",
			Got:   fmt.Sprintf("nil after %d attempts, and the balance is still 100", attempts),
			Means: "Apply reported success but changed nothing: " + ignoredRows,
			Hint:  4,
		})
	case err == nil:
		t.Error(katatest.Failure{
			Want:  "Apply returns ErrConflict: every one of its writes found the version changed",
			Got:   fmt.Sprintf("nil after %d attempts; balance %d", attempts, balance),
			Means: "Apply wrote although another writer had changed the account since its read: the UPDATE must say WHERE version = <the version read>",
			Hint:  4,
		})
	case errors.Is(err, ErrConflict) && attempts == 1:
		t.Error(katatest.Failure{
			Want:  fmt.Sprintf("Apply tries MaxAttempts (%d) times before it returns ErrConflict", MaxAttempts),
			Got:   "it gave up after one attempt",
			Means: "a version check without retry: read again, call change again and write again, up to MaxAttempts times",
			Hint:  5,
		})
	case errors.Is(err, ErrConflict):
		t.Error(katatest.Failure{
			Want:  fmt.Sprintf("Apply calls change exactly MaxAttempts (%d) times, then returns ErrConflict; balance still 100", MaxAttempts),
			Got:   fmt.Sprintf("%d attempts; balance %d", attempts, balance),
			Means: "Apply must make exactly MaxAttempts attempts, each one a fresh read, a call to change and a conditional write",
			Hint:  5,
		})
	default:
		f.unexpected("Apply", err, "an error that errors.Is ErrConflict", 5)
	}
}

// Task 2: Apply notices the writes of Deposit and Withdraw.
func TestApply_NoticesOtherWriters(t *testing.T) {
	for _, tc := range []struct {
		name  string
		other func(context.Context, *Bank) error
		want  int64
	}{
		{"Deposit", func(ctx context.Context, b *Bank) error { return b.Deposit(ctx, "alice", 10) }, 220},
		{"Withdraw", func(ctx context.Context, b *Bank) error { return b.Withdraw(ctx, "alice", 10) }, 180},
	} {
		t.Run(tc.name, func(t *testing.T) {
			f := newFixture(t, 4, opening{"alice", 100})
			// Between Apply's first read and its first write, a
			// tc.name of 10 comes in on another connection.
			var calls atomic.Int32
			var otherErr error
			f.bank.beforeWrite = func() {
				if calls.Add(1) == 1 {
					otherErr = try(func() error { return tc.other(t.Context(), f.bank) })
				}
			}
			var changes atomic.Int32
			double := func(balance int64) (int64, error) {
				changes.Add(1)
				return 2 * balance, nil
			}
			err := try(func() error { return f.bank.Apply(t.Context(), "alice", double) })
			if otherErr != nil {
				f.unexpected(tc.name+" while Apply was between read and write", otherErr,
					"it succeeds: Apply holds no lock while it computes", 4)
				return
			}
			if err != nil {
				f.unexpected("Apply", err, "nil: the conflict is resolved by one retry", 5)
				return
			}
			f.checkHookCalled(&calls, 1, "Apply")
			if got := f.balance("alice"); got != tc.want {
				t.Error(katatest.Failure{
					Want: fmt.Sprintf("balance %d: the %s of 10 first, then Apply doubles the result", tc.want, tc.name),
					Got:  fmt.Sprintf("%d, after change was called %d times", got, changes.Load()),
					Means: fmt.Sprintf("Apply overwrote a %s that came between its read and its write: a lost update. "+
						"Either %s does not add one to the version, or Apply does not write WHERE version = <the version read>, "+
						"or on the retry it wrote the value computed from the old balance instead of reading and calling change again",
						tc.name, tc.name),
					Hint: 4,
				})
			}
		})
	}
}

// Task 2: many Apply calls at once: every success counts, exactly once.
func TestApply_ManyAtOnce(t *testing.T) {
	f := newFixture(t, 5, opening{"alice", 0})
	calls := meetBeforeWrite(f.bank)
	const n = 20
	changes := make([]atomic.Int32, n)
	errs := runConcurrently(n, func(i int) error { return f.bank.Apply(t.Context(), "alice", adder(1, &changes[i])) })
	ok, _, fine := f.tally("Apply", errs, ErrConflict, 5)
	if !fine {
		return
	}
	f.checkHookCalled(calls, 2, "Apply")
	balance, version := f.row("alice")
	if int64(ok) != balance || int64(ok) != version || ok == 0 {
		t.Error(katatest.Failure{
			Want:  "balance = version = the number of Apply(+1) calls that returned nil (the others returned ErrConflict), and at least one returned nil",
			Got:   fmt.Sprintf("%d returned nil; balance %d, version %d", ok, balance, version),
			Means: "some Apply calls reported success without their write counting: a lost update, or " + ignoredRows,
			Hint:  4,
		})
	}
}

// errFrozen is the error the test's change returns.
var errFrozen = errors.New("account frozen by the test")

// Task 2: bad input and refused changes write nothing.
func TestApply_BadInput(t *testing.T) {
	f := newFixture(t, 3, opening{"alice", 100})
	ctx := t.Context()
	var changes atomic.Int32
	f.checkBadInput([]badCase{
		{"Apply(nobody, +10)", func() error { return f.bank.Apply(ctx, "nobody", adder(10, &changes)) }, ErrNoAccount,
			"Apply reported success for an account that does not exist: " + ignoredRows},
		{"Apply(alice, change returns an error)", func() error {
			return f.bank.Apply(ctx, "alice", func(int64) (int64, error) { return 0, errFrozen })
		}, errFrozen, "the error of change was dropped: Apply must return it, and write nothing"},
		{"Apply(alice, -200)", func() error { return f.bank.Apply(ctx, "alice", adder(-200, &changes)) }, ErrInsufficientFunds,
			"Apply wrote a negative balance: check what change returned before writing it"},
	}, 3)
	balance, version := f.row("alice")
	if balance != 100 || version != 0 || f.rowCount() != 1 {
		t.Error(katatest.Failure{
			Want:  "nothing written: alice still has 100 at version 0, and no other account exists",
			Got:   fmt.Sprintf("alice has %d at version %d; %d accounts", balance, version, f.rowCount()),
			Means: "a refused Apply wrote to the database",
			Hint:  3,
		})
	}
	f.checkNeverNegative(3)
}

// Task 3: a transfer moves the money and bumps both versions.
func TestTransfer_MovesMoney(t *testing.T) {
	f := newFixture(t, 6, opening{"alice", 100}, opening{"bob", 50})
	if err := try(func() error { return f.bank.Transfer(t.Context(), "alice", "bob", 30) }); err != nil {
		f.unexpected("Transfer(alice, bob, 30)", err, "nil", 6)
		return
	}
	a, av := f.row("alice")
	b, bv := f.row("bob")
	if a != 70 || b != 80 || av != 1 || bv != 1 {
		t.Error(katatest.Failure{
			Want:  "alice 70 and bob 80, each at version 1",
			Got:   fmt.Sprintf("alice %d at version %d, bob %d at version %d", a, av, b, bv),
			Means: "a transfer changes two balances, and each change adds one to that account's version (Apply relies on it)",
			Hint:  6,
		})
	}
}

// Task 3: two transfers race for the last money.
func TestTransfer_NeverOverdraws(t *testing.T) {
	f := newFixture(t, 6, opening{"alice", 100}, opening{"bob", 0}, opening{"carol", 0})
	calls := meetBeforeWrite(f.bank)
	to := []string{"bob", "carol"}
	errs := runConcurrently(2, func(i int) error { return f.bank.Transfer(t.Context(), "alice", to[i], 70) })
	ok, refused, fine := f.tally("Transfer", errs, ErrInsufficientFunds, 6)
	if !fine {
		return
	}
	f.checkHookCalled(calls, 1, "Transfer")
	f.checkNeverNegative(6)
	a, b, c := f.balance("alice"), f.balance("bob"), f.balance("carol")
	total := a + b + c
	switch {
	case ok == 1 && refused == 1 && a == 30 && total == 100:
	case total != 100:
		t.Error(katatest.Failure{
			Want: "one transfer of 70 succeeds, the other returns ErrInsufficientFunds; alice 30, and 100 in all",
			Got:  fmt.Sprintf("%d succeeded; alice %d, bob %d, carol %d: %d in all", ok, a, b, c, total),
			Means: fmt.Sprintf("money was %s: both transfers read alice's 100 before either wrote. "+
				"The check and the writes must be one transaction that no other writer can enter between the read and the write",
				map[bool]string{true: "created", false: "lost"}[total > 100]),
			Hint: 6,
		})
	default:
		t.Error(katatest.Failure{
			Want:  "one transfer of 70 succeeds, the other returns ErrInsufficientFunds; alice 30, and 100 in all",
			Got:   fmt.Sprintf("%d succeeded, %d refused; alice %d, bob %d, carol %d", ok, refused, a, b, c),
			Means: "the transfers did not share alice's money exactly: the account was overdrawn or a transfer was refused wrongly",
			Hint:  6,
		})
	}
}

// transferPlan is a fixed, varied list of transfers among four accounts.
func transferPlan(n int) (from, to []string, amount []int64) {
	ids := []string{"alice", "bob", "carol", "dave"}
	for i := range n {
		src := i % 4
		dst := (src + 1 + (i/4)%3) % 4
		from = append(from, ids[src])
		to = append(to, ids[dst])
		amount = append(amount, int64(1+(i*37)%60))
	}
	return from, to, amount
}

// Task 3: many transfers at once conserve money, exactly.
func TestTransfer_ConservesMoney(t *testing.T) {
	ids := []string{"alice", "bob", "carol", "dave"}
	f := newFixture(t, 7, opening{"alice", 100}, opening{"bob", 100}, opening{"carol", 100}, opening{"dave", 100})
	calls := meetBeforeWrite(f.bank)
	const n = 60
	from, to, amount := transferPlan(n)
	errs := runConcurrently(n, func(i int) error { return f.bank.Transfer(t.Context(), from[i], to[i], amount[i]) })
	if _, _, ok := f.tally("Transfer", errs, ErrInsufficientFunds, 7); !ok {
		return
	}
	f.checkHookCalled(calls, 1, "Transfer")
	f.checkNeverNegative(6)
	// What each account must hold, from the transfers that reported success.
	want := map[string]int64{"alice": 100, "bob": 100, "carol": 100, "dave": 100}
	for i, err := range errs {
		if err == nil {
			want[from[i]] -= amount[i]
			want[to[i]] += amount[i]
		}
	}
	var total int64
	for _, id := range ids {
		total += f.balance(id)
	}
	if total != 400 {
		t.Error(katatest.Failure{
			Want:  fmt.Sprintf("400 in all four accounts after %d concurrent transfers among them", n),
			Got:   fmt.Sprint(total),
			Means: "transfers created or lost money: a lost update between two transfers, or a transfer that wrote one side only",
			Hint:  6,
		})
		return
	}
	for _, id := range ids {
		if got := f.balance(id); got != want[id] {
			t.Error(katatest.Failure{
				Want:  fmt.Sprintf("%s holds %d: 100 plus what the successful transfers brought in, minus what they took out", id, want[id]),
				Got:   fmt.Sprint(got),
				Means: "the balances do not match what Transfer reported: a transfer returned nil without moving the money, or returned an error after moving some",
				Hint:  6,
			})
			return
		}
	}
}

// Task 3: a transfer that fails halfway changes nothing.
func TestTransfer_AllOrNothing(t *testing.T) {
	f := newFixture(t, 6, opening{"alice", 100}, opening{"frozen_in", 0}, opening{"frozen_out", 100}, opening{"bob", 0})
	// The database itself refuses to credit frozen_in or to debit
	// frozen_out, whichever statement of the transfer runs first.
	f.exec(`CREATE TRIGGER freeze_in BEFORE UPDATE ON accounts WHEN NEW.id = 'frozen_in' AND NEW.balance > OLD.balance
		BEGIN SELECT RAISE(ABORT, 'frozen_in accepts no credits'); END`)
	f.exec(`CREATE TRIGGER freeze_out BEFORE UPDATE ON accounts WHEN NEW.id = 'frozen_out' AND NEW.balance < OLD.balance
		BEGIN SELECT RAISE(ABORT, 'frozen_out allows no debits'); END`)
	for _, tc := range []struct {
		from, to         string
		wantFrom, wantTo int64
	}{
		{"alice", "frozen_in", 100, 0},
		{"frozen_out", "bob", 100, 0},
	} {
		name := fmt.Sprintf("Transfer(%s, %s, 30)", tc.from, tc.to)
		err := try(func() error { return f.bank.Transfer(t.Context(), tc.from, tc.to, 30) })
		var p panicked
		if errors.As(err, &p) {
			f.unexpected(name, err, "an error", 6)
			return
		}
		fromBal, fromVer := f.row(tc.from)
		toBal, toVer := f.row(tc.to)
		if err == nil || fromBal != tc.wantFrom || toBal != tc.wantTo || fromVer != 0 || toVer != 0 {
			means := "the database refused one of the two writes, so the transfer must fail and leave both accounts as they were"
			switch {
			case fromBal < tc.wantFrom:
				means = "money lost: 30 left " + tc.from + " and never arrived. The debit was committed although the credit failed: " +
					"no transaction. Outside a transaction every statement commits on its own"
			case toBal > tc.wantTo:
				means = "money created: 30 arrived in " + tc.to + " but never left " + tc.from + ". The credit was committed although the debit failed: " +
					"no transaction. Outside a transaction every statement commits on its own"
			}
			t.Error(katatest.Failure{
				Want: fmt.Sprintf("%s returns an error and changes nothing: %s %d, %s %d, both at version 0",
					name, tc.from, tc.wantFrom, tc.to, tc.wantTo),
				Got: fmt.Sprintf("error %v; %s %d at version %d, %s %d at version %d",
					err, tc.from, fromBal, fromVer, tc.to, toBal, toVer),
				Means: means,
				Hint:  6,
			})
		}
	}
}

// Task 3: bad input is an error value, and writes nothing.
func TestTransfer_BadInput(t *testing.T) {
	f := newFixture(t, 3, opening{"alice", 100}, opening{"bob", 50})
	ctx := t.Context()
	f.checkBadInput([]badCase{
		{"Transfer(alice, bob, 0)", func() error { return f.bank.Transfer(ctx, "alice", "bob", 0) }, ErrInvalidAmount,
			"a transfer of nothing is a mistake of the caller"},
		{"Transfer(alice, bob, -10)", func() error { return f.bank.Transfer(ctx, "alice", "bob", -10) }, ErrInvalidAmount,
			"a negative transfer takes money from the receiver without asking"},
		{"Transfer(alice, alice, 10)", func() error { return f.bank.Transfer(ctx, "alice", "alice", 10) }, ErrSameAccount,
			"a transfer to the same account is a mistake of the caller"},
		{"Transfer(alice, nobody, 10)", func() error { return f.bank.Transfer(ctx, "alice", "nobody", 10) }, ErrNoAccount,
			"money was sent to an account that does not exist: " + ignoredRows},
		{"Transfer(nobody, alice, 10)", func() error { return f.bank.Transfer(ctx, "nobody", "alice", 10) }, ErrNoAccount,
			"money came from an account that does not exist: " + ignoredRows},
		{"Transfer(bob, alice, 1000)", func() error { return f.bank.Transfer(ctx, "bob", "alice", 1000) }, ErrInsufficientFunds,
			"bob sent 1000 that he does not have"},
	}, 3)
	a, av := f.row("alice")
	b, bv := f.row("bob")
	if a != 100 || b != 50 || av != 0 || bv != 0 || f.rowCount() != 2 {
		t.Error(katatest.Failure{
			Want:  "nothing written: alice 100 and bob 50 at version 0, and no other account",
			Got:   fmt.Sprintf("alice %d at version %d, bob %d at version %d; %d accounts", a, av, b, bv, f.rowCount()),
			Means: "a refused transfer wrote to the database: check the input first, and write nothing unless every check passed",
			Hint:  3,
		})
	}
	f.checkNeverNegative(3)
}
