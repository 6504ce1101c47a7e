package lostupdatesql

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"path/filepath"
	"runtime"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"modernc.org/sqlite"
	sqlite3 "modernc.org/sqlite/lib"

	"github.com/gokatas/concurrency/lessons/internal/katatest"
	"github.com/gokatas/concurrency/tools/evidence"
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
	t     *testing.T
	path  string
	bank  *Bank
	banks []*Bank // every Bank open on the file, f.bank first
	db    *sql.DB

	openings []opening // the accounts the test started with
}

// newFixture starts the watchdog, opens a fresh database with the given
// accounts, and closes everything when the test ends. It also installs an
// audit trigger that records every balance that is ever written below zero.
func newFixture(t *testing.T, hint int, accounts ...opening) *fixture {
	t.Helper()
	katatest.WatchdogAfter(t, dbLimit, hint)
	f := &fixture{t: t, path: filepath.Join(t.TempDir(), "bank.db"), openings: accounts}
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
	f.banks = append(f.banks, b)
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
// zero, even if a later write brought it back up, and reports whether none
// was.
func (f *fixture) checkNeverNegative(hint int) bool {
	f.t.Helper()
	return f.checkNeverNegativeIn(hint, "")
}

// checkNeverNegativeIn is checkNeverNegative with setup added to the
// explanation: what the test's setup tells about an overdraft.
func (f *fixture) checkNeverNegativeIn(hint int, setup string) bool {
	f.t.Helper()
	var id string
	var balance int64
	err := f.db.QueryRow(`SELECT id, balance FROM negative_balances LIMIT 1`).Scan(&id, &balance)
	if errors.Is(err, sql.ErrNoRows) {
		return true
	}
	if err != nil {
		f.t.Fatalf("read the audit table: %v", err)
	}
	f.t.Error(katatest.Failure{
		Want:  "no balance is ever written below zero",
		Got:   fmt.Sprintf("account %q was written with balance %d", id, balance),
		Means: "an account was overdrawn. Usually the balance was checked in one statement and taken in another, and a second operation passed the same check in between" + setup,
		Hint:  hint,
	})
	return false
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
// without the call, the test cannot force the interleaving it is about. It
// reports whether the hook was called; if not, the test's later checks
// would only guess, so the caller stops.
func (f *fixture) checkHookCalled(calls *atomic.Int32, atLeast int32, op string) bool {
	f.t.Helper()
	if n := calls.Load(); n < atLeast {
		f.t.Error(katatest.Failure{
			Want: fmt.Sprintf("%s calls b.aboutToWrite() right before it writes: at least %d calls here", op, atLeast),
			Got:  katatest.Count(n, "call"),
			Means: "the test hook was not called, so this test cannot make two operations meet between read and write. " +
				"Keep the b.aboutToWrite() call, once per attempt, right before the statement that changes a balance",
		})
		return false
	}
	return true
}

// panicked is the error concurrently and try record for an operation
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

// stallAfter is how long the concurrent calls of a test may all go without
// one of them returning before the test looks for connections that nobody
// is using. A correct solution's calls return within milliseconds of each
// other; the longest pause they make is a Barrier's patience.
const stallAfter = time.Second

// concurrently runs op(ctx, 0) ... op(ctx, n-1), each in a goroutine of its
// own with a context of its own, and returns their errors by index once all
// have returned.
//
// While they run, it watches for a stall: no call has returned for
// stallAfter, and the Banks' pools have more connections in use than there
// are calls that could be using them (the running calls, less those waiting
// in the pool's queue for a connection). Those connections belong to calls
// that have already returned (a transaction never committed or rolled back,
// rows never closed) or to calls that wait for a second connection while
// holding one. Every call still running would wait for them forever, so the
// test cancels the running calls and names the cause at once, instead of
// hanging until the watchdog. The contexts of calls that have returned are
// left alone until the test ends: a transaction they leaked stays open, and
// checkReleased sees it.
func (f *fixture) concurrently(n int, op func(ctx context.Context, i int) error) []error {
	f.t.Helper()
	errs := make([]error, n)
	cancels := make([]context.CancelFunc, n)
	returned := make(chan int, n)
	self := evidence.CurrentID(string(stack(false))) // the test's goroutine, which starts the calls
	for i := range n {
		ctx, cancel := context.WithCancel(f.t.Context())
		f.t.Cleanup(cancel) // before the Banks close: rolls back what a call leaked
		cancels[i] = cancel
		go func() {
			errs[i] = try(func() error { return op(ctx, i) })
			returned <- i
		}()
	}
	running := make(map[int]bool, n)
	for i := range n {
		running[i] = true
	}
	tick := time.NewTimer(stallAfter)
	defer tick.Stop()
	suspect := 0 // checks in a row that found idle connections, with no call returning between them
	for len(running) > 0 {
		select {
		case i := <-returned:
			delete(running, i)
			suspect = 0
			tick.Reset(stallAfter)
		case <-tick.C:
			if f.idleHeld(len(running), self) > 0 {
				suspect++
			} else {
				suspect = 0
			}
			if suspect >= 3 {
				f.stalled(n, running, cancels, returned)
			}
			tick.Reset(stallAfter / 4)
		}
	}
	return errs
}

// inUse is how many connections the pools of all the fixture's Banks have
// handed out and not yet got back.
func (f *fixture) inUse() int {
	n := 0
	for _, b := range f.banks {
		n += b.db.Stats().InUse
	}
	return n
}

// idleHeld is how many connections are in use beyond what running calls
// can be using: each running call that is not waiting in database/sql's
// queue for a connection may hold one. Only the calls that concurrently
// started from goroutine self count: tests run in parallel.
func (f *fixture) idleHeld(running, self int) int {
	created := fmt.Sprintf("in goroutine %d", self)
	waiting := 0
	for _, g := range evidence.ParseGoroutines(string(stack(true))) {
		ours, queued := false, false
		for _, fr := range g.Frames {
			switch {
			case fr.CreatedBy:
				ours = strings.Contains(fr.Func, ".(*fixture).concurrently") && strings.HasSuffix(fr.Func, created)
			case strings.HasPrefix(fr.Func, "database/sql.(*DB).conn("):
				queued = true
			}
		}
		if ours && queued {
			waiting++
		}
	}
	return f.inUse() - max(running-waiting, 0)
}

// stack is the stack of the calling goroutine, or of every goroutine, as
// runtime.Stack prints them.
func stack(all bool) []byte {
	buf := make([]byte, 1<<20)
	for {
		n := runtime.Stack(buf, all)
		if n < len(buf) {
			return buf[:n]
		}
		buf = make([]byte, 2*len(buf))
	}
}

// stalled cancels the calls still running, waits for them, and ends the
// test with what the stall was.
func (f *fixture) stalled(n int, running map[int]bool, cancels []context.CancelFunc, returned <-chan int) {
	f.t.Helper()
	stuck := len(running)
	held := f.inUse()
	for i := range running {
		cancels[i]()
	}
	for len(running) > 0 {
		delete(running, <-returned)
	}
	want := fmt.Sprintf("%d calls at once all return, each giving its connection back to the pool", n)
	if left := f.inUse(); left > 0 {
		f.t.Fatal(evidence.Errorf(evidence.Deadlock, f.t.Name(), "%s", katatest.Failure{
			Want: want,
			Got: fmt.Sprintf("after %d had returned, no call returned for %v, with %s of the Banks' pools in use. "+
				"%s stayed in use by calls that had already returned, and the %d calls left waited for %s (the test cancelled them)",
				n-stuck, stallAfter, katatest.Count(held, "connection"), katatest.Count(left, "connection"), stuck,
				map[bool]string{true: "it", false: "them"}[left == 1]),
			Means: "no rollback on an early return: a path returned without Commit or Rollback, so its transaction stays " +
				"open, holding its connection and SQLite's write lock, and every later call waits for them forever. " +
				"`defer tx.Rollback()` right after BeginTx covers every path (after Commit it does nothing). " +
				"Rows that are never closed hold a connection too: defer rows.Close()",
			Hint: 6,
		}))
	}
	f.t.Fatal(evidence.Errorf(evidence.Deadlock, f.t.Name(), "%s", katatest.Failure{
		Want: want,
		Got: fmt.Sprintf("after %d had returned, no call returned for %v: all %s of the Banks' pools were taken, "+
			"and the running calls that held them were themselves waiting in the pool's queue for another one (the test cancelled them)",
			n-stuck, stallAfter, katatest.Count(held, "connection")),
		Means: "a call that holds a connection asked the pool for a second one: inside a transaction, a statement " +
			"went to b.db instead of tx. When every connection is held that way, nobody can go on. " +
			"Inside a transaction use tx for every statement",
		Hint: 6,
	}))
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
	f.checkReleased(op, hint)
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
	t.Parallel() // real I/O and real waits: the tests overlap them
	f := newFixture(t, 1, opening{"alice", 100})
	calls := meetBeforeWrite(f.bank)
	amounts := []int64{10, 20}
	errs := f.concurrently(2, func(ctx context.Context, i int) error { return f.bank.Deposit(ctx, "alice", amounts[i]) })
	if _, _, ok := f.tally("Deposit", errs, nil, 1); !ok {
		return
	}
	if !f.checkHookCalled(calls, 2, "Deposit") {
		return
	}
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
	t.Parallel() // real I/O and real waits: the tests overlap them
	f := newFixture(t, 1, opening{"alice", 0})
	calls := meetBeforeWrite(f.bank)
	const n = 100
	errs := f.concurrently(n, func(ctx context.Context, i int) error { return f.bank.Deposit(ctx, "alice", int64(i+1)) })
	if _, _, ok := f.tally("Deposit", errs, nil, 1); !ok {
		return
	}
	if !f.checkHookCalled(calls, n, "Deposit") {
		return
	}
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
	t.Parallel() // real I/O and real waits: the tests overlap them
	f := newFixture(t, 2, opening{"alice", 100})
	other := f.openBank()
	calls := meetBeforeWrite(f.bank, other)
	banks := []*Bank{f.bank, other}
	amounts := []int64{10, 20}
	errs := f.concurrently(2, func(ctx context.Context, i int) error { return banks[i].Deposit(ctx, "alice", amounts[i]) })
	if _, _, ok := f.tally("Deposit", errs, nil, 2); !ok {
		return
	}
	if !f.checkHookCalled(calls, 2, "Deposit") {
		return
	}
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
	t.Parallel() // real I/O and real waits: the tests overlap them
	f := newFixture(t, 3, opening{"alice", 100})
	f.withdrawRace(f.bank, f.bank)
}

// Task 1: two withdrawals race for the last money, through two Banks on one
// file, as two server processes would.
func TestWithdraw_TwoBanksOneFile(t *testing.T) {
	t.Parallel() // real I/O and real waits: the tests overlap them
	f := newFixture(t, 2, opening{"alice", 100})
	f.withdrawRace(f.bank, f.openBank())
}

// throughTwoBanks is what an overdraft or a lost update between two Banks
// means. A test that finds one adds it to its explanation.
const throughTwoBanks = " The two calls went through two Banks on one file, like two server processes: whatever keeps two " +
	"operations apart must live in the database. A sync.Mutex in one Bank protects that Bank's memory, not the row, " +
	"and the other Bank never sees it"

// withdrawRace withdraws 70 from alice's 100 twice at once, once through
// each of banks (the same Bank twice, or two Banks), and checks that one
// gets the money and the other ErrInsufficientFunds.
func (f *fixture) withdrawRace(banks ...*Bank) {
	t := f.t
	t.Helper()
	two := banks[0] != banks[1]
	setup, hint := "", 3
	if two {
		setup, hint = "."+throughTwoBanks, 2
	}
	calls := meetBeforeWrite(f.banks...)
	errs := f.concurrently(2, func(ctx context.Context, i int) error { return banks[i].Withdraw(ctx, "alice", 70) })
	ok, refused, fine := f.tally("Withdraw", errs, ErrInsufficientFunds, hint)
	if !fine {
		return
	}
	if !f.checkHookCalled(calls, 1, "Withdraw") {
		return
	}
	if !f.checkNeverNegativeIn(hint, setup) {
		return
	}
	got, version := f.row("alice")
	want := "one withdrawal of 70 from 100 succeeds, the other returns ErrInsufficientFunds; balance 30"
	if two {
		want = "one withdrawal of 70 from 100 through each of two Banks on one file: one succeeds, the other returns ErrInsufficientFunds; balance 30"
	}
	switch {
	case ok == 1 && refused == 1 && got == 30:
	case ok == 2 && got == 30 && version == 1:
		t.Error(katatest.Failure{
			Want:  want,
			Got:   "both returned nil, but only one wrote (balance 30, version 1)",
			Means: "the second withdrawal was refused by its WHERE, yet reported success: " + ignoredRows,
			Hint:  3,
		})
	case ok == 2:
		t.Error(katatest.Failure{
			Want:  want,
			Got:   fmt.Sprintf("both succeeded; balance %d", got),
			Means: "the bank paid out 140 from 100 and the balance shows one withdrawal: " + lostUpdate + setup,
			Hint:  hint,
		})
	default:
		t.Error(katatest.Failure{
			Want:  want,
			Got:   fmt.Sprintf("%d succeeded, %d refused; balance %d", ok, refused, got),
			Means: "the withdrawals did not share the money exactly: look at how Withdraw decides whether there is enough",
			Hint:  3,
		})
	}
}

// Task 1: a withdrawal may take the whole balance.
func TestWithdraw_WholeBalance(t *testing.T) {
	t.Parallel() // real I/O and real waits: the tests overlap them
	f := newFixture(t, 3, opening{"alice", 100})
	err := try(func() error { return f.bank.Withdraw(t.Context(), "alice", 100) })
	f.checkReleased("Withdraw(alice, 100)", 3)
	balance, version := f.row("alice")
	switch {
	case err == nil && balance == 0 && version == 1:
	case errors.Is(err, ErrInsufficientFunds) && balance == 100:
		t.Error(katatest.Failure{
			Want: "Withdraw(alice, 100) from a balance of 100 returns nil and leaves 0, at version 1",
			Got:  fmt.Sprintf("it returned %v; balance %d", err, balance),
			Means: "the whole balance was refused: the check is one off. \"Only if the balance stays zero or more\" allows " +
				"a balance of exactly zero: WHERE balance >= ?, not balance > ?",
			Hint: 3,
		})
	case err != nil:
		f.unexpected("Withdraw(alice, 100)", err, "nil: a withdrawal of the whole balance is allowed", 3)
	default:
		t.Error(katatest.Failure{
			Want: "Withdraw(alice, 100) from a balance of 100 leaves 0, at version 1",
			Got:  fmt.Sprintf("it returned nil; balance %d, version %d", balance, version),
			Means: map[bool]string{
				true:  "the withdrawal took the money but did not add one to the version: every statement that changes a balance must say version = version + 1",
				false: "the withdrawal reported success but the balance does not show it: take the amount in the UPDATE (balance = balance - ?)",
			}[balance == 0],
			Hint: 3,
		})
	}
}

// Task 1: many withdrawals race for the money.
func TestWithdraw_ManyAtOnce(t *testing.T) {
	t.Parallel() // real I/O and real waits: the tests overlap them
	f := newFixture(t, 3, opening{"alice", 1000})
	calls := meetBeforeWrite(f.bank)
	const n = 50
	errs := f.concurrently(n, func(ctx context.Context, i int) error { return f.bank.Withdraw(ctx, "alice", 30) })
	ok, refused, fine := f.tally("Withdraw", errs, ErrInsufficientFunds, 3)
	if !fine {
		return
	}
	if !f.checkHookCalled(calls, 1, "Withdraw") {
		return
	}
	if !f.checkNeverNegative(3) {
		return
	}
	balance, version := f.row("alice")
	if ok != 33 || refused != 17 || balance != 10 || version != 33 {
		fail := katatest.Failure{
			Want:  "50 withdrawals of 30 from 1000: 33 succeed, 17 return ErrInsufficientFunds; balance 10, version 33",
			Got:   fmt.Sprintf("%d succeeded, %d refused; balance %d, version %d", ok, refused, balance, version),
			Means: "withdrawals were lost or overdrew the account: the check and the write must be one statement",
			Hint:  3,
		}
		if balance == 10 && version == 33 {
			// The account is right: every write that happened was a whole
			// withdrawal, checked and taken in one statement. Only the
			// answers to the callers are wrong.
			fail.Means = "the account is right, but the answers are not: Withdraw reported success for a withdrawal " +
				"that changed nothing. The conditional UPDATE matched no row and the code ignored the affected-rows " +
				"count (Result.RowsAffected): zero rows means there was not enough money, ErrInsufficientFunds"
		}
		t.Error(fail)
	}
}

// Task 1: every change to a balance adds one to the version.
func TestDepositWithdraw_BumpVersion(t *testing.T) {
	t.Parallel() // real I/O and real waits: the tests overlap them
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

// cancelled returns a context that is already cancelled.
func cancelled() context.Context {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	return ctx
}

// ignoredContext is what a nil error means for a call with a cancelled
// context.
const ignoredContext = "the call went on with a context that was already cancelled: pass ctx to every statement " +
	"(ExecContext, QueryRowContext, BeginTx), and return the error the database gives back"

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
		f.checkReleased(c.name, hint)
		// The bank's own errors may be wrapped; the error of change is the
		// caller's, and comes back unchanged.
		same := c.want != errFrozen || err == c.want
		if errors.Is(err, c.want) && same {
			continue
		}
		if errors.Is(err, c.want) {
			f.t.Error(katatest.Failure{
				Want: fmt.Sprintf("%s returns the error of change itself, unchanged (err == the error change returned)", c.name),
				Got:  fmt.Sprintf("%q, which wraps it", err),
				Means: "Apply wraps the error of change. The doc promises \"the error change returns, unchanged\": the caller " +
					"made that error and may compare it with ==. Return err as it is",
				Hint: 4,
			})
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

// checkReleased ends the test at once if the Bank still holds one of its
// pool's connections after op returned. Such a connection belongs to a
// transaction that was neither committed nor rolled back, or to rows that
// were never closed: the next calls would wait for it (and for the
// database locks it holds) until the watchdog, so the test names it now.
func (f *fixture) checkReleased(op string, hint int) {
	f.t.Helper()
	if n := f.inUse(); n > 0 {
		f.t.Fatal(katatest.Failure{
			Want: op + " gives its connection back to the pool before it returns",
			Got:  katatest.Count(n, "connection") + " of the Bank still in use after every call had returned",
			Means: "no rollback on an early return: a path returned without Commit or Rollback, so the " +
				"transaction stays open, holding its connection and its locks, and the next calls wait for " +
				"them forever. `defer tx.Rollback()` right after BeginTx covers every path (after Commit it " +
				"does nothing). Rows that are never closed hold a connection too: defer rows.Close()",
			Hint: hint,
		})
	}
}

// ignoredRows is the explanation for a nil error from an UPDATE that
// matched no row.
const ignoredRows = "the UPDATE matched no row and the code ignored the affected-rows count (Result.RowsAffected): " +
	"an UPDATE of nothing is not an error to SQL, so the code must look"

// Task 1: bad input is an error value, and writes nothing.
func TestDepositWithdraw_BadInput(t *testing.T) {
	t.Parallel() // real I/O and real waits: the tests overlap them
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
		{"Deposit(cancelled context, alice, 10)", func() error { return f.bank.Deposit(cancelled(), "alice", 10) }, context.Canceled,
			ignoredContext},
		{"Withdraw(cancelled context, alice, 10)", func() error { return f.bank.Withdraw(cancelled(), "alice", 10) }, context.Canceled,
			ignoredContext},
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
	t.Parallel() // real I/O and real waits: the tests overlap them
	f := newFixture(t, 4, opening{"alice", 100})
	f.applyRace(f.bank, f.bank)
}

// Task 2: two Apply calls at once, through two Banks on one file.
func TestApply_TwoBanksOneFile(t *testing.T) {
	t.Parallel() // real I/O and real waits: the tests overlap them
	f := newFixture(t, 4, opening{"alice", 100})
	f.applyRace(f.bank, f.openBank())
}

// applyRace runs Apply(+10) and Apply(+20) on alice's 100 at once, through
// banks[0] and banks[1], made to meet between read and write, and checks
// that both count.
func (f *fixture) applyRace(banks ...*Bank) {
	t := f.t
	t.Helper()
	setup := ""
	if banks[0] != banks[1] {
		setup = "." + throughTwoBanks
	}
	calls := meetBeforeWrite(f.banks...)
	var changes [2]atomic.Int32
	amounts := []int64{10, 20}
	errs := f.concurrently(2, func(ctx context.Context, i int) error {
		return banks[i].Apply(ctx, "alice", adder(amounts[i], &changes[i]))
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
	if !f.checkHookCalled(calls, 2, "Apply") {
		return
	}
	balance, version := f.row("alice")
	if balance != 130 || version != 2 {
		t.Error(katatest.Failure{
			Want: "balance 130, version 2: 100 + 10 + 20, and each Apply added one to the version",
			Got:  fmt.Sprintf("balance %d, version %d", balance, version),
			Means: "both Apply calls read 100 and both wrote: a lost update. Either the UPDATE does not say WHERE version = <the version read>, " +
				"or it does and the code ignored the affected-rows count: zero rows means someone else wrote first" + setup,
			Hint: 4,
		})
	}
}

// Task 2: a change may take the balance to exactly zero.
func TestApply_DownToZero(t *testing.T) {
	t.Parallel() // real I/O and real waits: the tests overlap them
	f := newFixture(t, 4, opening{"alice", 100})
	var changes atomic.Int32
	err := try(func() error { return f.bank.Apply(t.Context(), "alice", adder(-100, &changes)) })
	f.checkReleased("Apply(alice, -100)", 4)
	balance, version := f.row("alice")
	switch {
	case err == nil && balance == 0 && version == 1:
	case errors.Is(err, ErrInsufficientFunds) && balance == 100:
		t.Error(katatest.Failure{
			Want: "Apply(alice, balance-100) on a balance of 100 returns nil and leaves 0, at version 1",
			Got:  fmt.Sprintf("it returned %v; balance %d", err, balance),
			Means: "a change to exactly zero was refused: the check is one off. ErrInsufficientFunds is for a negative " +
				"result; zero is a balance like any other (next < 0, not next <= 0)",
			Hint: 4,
		})
	case err != nil:
		f.unexpected("Apply(alice, balance-100)", err, "nil: a change to a balance of zero is allowed", 4)
	default:
		t.Error(katatest.Failure{
			Want: "Apply(alice, balance-100) on a balance of 100 leaves 0, at version 1",
			Got:  fmt.Sprintf("it returned nil; balance %d, version %d", balance, version),
			Means: map[bool]string{
				true:  "Apply wrote the new balance but did not add one to the version: the UPDATE must say version = version + 1",
				false: "Apply reported success but the balance does not show its change: write the value change returned",
			}[balance == 0],
			Hint: 4,
		})
	}
}

// Task 2: Apply gives up after MaxAttempts, and not before.
func TestApply_GivesUpAfterMaxAttempts(t *testing.T) {
	t.Parallel() // real I/O and real waits: the tests overlap them
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
	if !f.checkHookCalled(&calls, 1, "Apply") {
		return
	}
	balance := f.balance("alice")
	switch {
	case errors.Is(err, ErrConflict) && attempts == MaxAttempts && balance == 100:
	case err == nil && attempts > MaxAttempts:
		t.Error(katatest.Failure{
			Want:  fmt.Sprintf("Apply returns ErrConflict after MaxAttempts (%d) attempts when every attempt meets another writer", MaxAttempts),
			Got:   fmt.Sprintf("it tried %s and succeeded only when the other writer stopped", katatest.Times(attempts)),
			Means: "unbounded retry: under steady contention a loop without a limit never ends, and every waiting request piles up behind it",
			Hint:  5,
		})
	case err == nil && balance == 100:
		t.Error(katatest.Failure{
			Want:  "Apply returns ErrConflict: every one of its writes found the version changed",
			Got:   fmt.Sprintf("nil after %s, and the balance is still 100", katatest.Count(attempts, "attempt")),
			Means: "Apply reported success but changed nothing: " + ignoredRows,
			Hint:  4,
		})
	case err == nil:
		t.Error(katatest.Failure{
			Want:  "Apply returns ErrConflict: every one of its writes found the version changed",
			Got:   fmt.Sprintf("nil after %s; balance %d", katatest.Count(attempts, "attempt"), balance),
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
			Got:   fmt.Sprintf("%s; balance %d", katatest.Count(attempts, "attempt"), balance),
			Means: "Apply must make exactly MaxAttempts attempts, each one a fresh read, a call to change and a conditional write",
			Hint:  5,
		})
	default:
		f.unexpected("Apply", err, "an error that errors.Is ErrConflict", 5)
	}
}

// Task 2: Apply notices the writes of Deposit and Withdraw.
func TestApply_NoticesOtherWriters(t *testing.T) {
	t.Parallel() // real I/O and real waits: the tests overlap them
	for _, tc := range []struct {
		name  string
		other func(context.Context, *Bank) error
		want  int64
	}{
		{"Deposit", func(ctx context.Context, b *Bank) error { return b.Deposit(ctx, "alice", 10) }, 220},
		{"Withdraw", func(ctx context.Context, b *Bank) error { return b.Withdraw(ctx, "alice", 10) }, 180},
	} {
		// One test, no subtests: each case's message names its writer, and
		// the test has no message-less heading of its own.
		func() {
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
			if !f.checkHookCalled(&calls, 1, "Apply") {
				return
			}
			if got := f.balance("alice"); got != tc.want {
				t.Error(katatest.Failure{
					Want: fmt.Sprintf("balance %d: the %s of 10 first, then Apply doubles the result", tc.want, tc.name),
					Got:  fmt.Sprintf("%d, after change was called %s", got, katatest.Times(changes.Load())),
					Means: fmt.Sprintf("Apply overwrote a %s that came between its read and its write: a lost update. "+
						"Either %s does not add one to the version, or Apply does not write WHERE version = <the version read>, "+
						"or on the retry it wrote the value computed from the old balance instead of reading and calling change again",
						tc.name, tc.name),
					Hint: 4,
				})
			}
		}()
	}
}

// Task 2: many Apply calls at once: every success counts, exactly once.
func TestApply_ManyAtOnce(t *testing.T) {
	t.Parallel() // real I/O and real waits: the tests overlap them
	f := newFixture(t, 5, opening{"alice", 0})
	calls := meetBeforeWrite(f.bank)
	const n = 20
	changes := make([]atomic.Int32, n)
	errs := f.concurrently(n, func(ctx context.Context, i int) error { return f.bank.Apply(ctx, "alice", adder(1, &changes[i])) })
	ok, _, fine := f.tally("Apply", errs, ErrConflict, 5)
	if !fine {
		return
	}
	if !f.checkHookCalled(calls, 2, "Apply") {
		return
	}
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
	t.Parallel() // real I/O and real waits: the tests overlap them
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
		{"Apply(cancelled context, alice, +10)", func() error { return f.bank.Apply(cancelled(), "alice", adder(10, &changes)) },
			context.Canceled, ignoredContext},
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
	if !f.checkNeverNegative(3) {
		return
	}
}

// Task 3: a transfer moves the money and bumps both versions.
func TestTransfer_MovesMoney(t *testing.T) {
	t.Parallel() // real I/O and real waits: the tests overlap them
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
	t.Parallel() // real I/O and real waits: the tests overlap them
	f := newFixture(t, 6, opening{"alice", 100}, opening{"bob", 0}, opening{"carol", 0})
	f.transferRace(f.bank, f.bank)
}

// Task 3: two transfers race for the last money, through two Banks on one
// file.
func TestTransfer_TwoBanksOneFile(t *testing.T) {
	t.Parallel() // real I/O and real waits: the tests overlap them
	f := newFixture(t, 6, opening{"alice", 100}, opening{"bob", 0}, opening{"carol", 0})
	f.transferRace(f.bank, f.openBank())
}

// transferRace sends 70 of alice's 100 to bob through banks[0] and to
// carol through banks[1], at once, and checks that exactly one gets it.
func (f *fixture) transferRace(banks ...*Bank) {
	t := f.t
	t.Helper()
	setup := ""
	if banks[0] != banks[1] {
		setup = "." + throughTwoBanks
	}
	calls := meetBeforeWrite(f.banks...)
	to := []string{"bob", "carol"}
	errs := f.concurrently(2, func(ctx context.Context, i int) error { return banks[i].Transfer(ctx, "alice", to[i], 70) })
	ok, refused, fine := f.tally("Transfer", errs, ErrInsufficientFunds, 6)
	if !fine {
		return
	}
	if !f.checkHookCalled(calls, 1, "Transfer") {
		return
	}
	if !f.checkNeverNegativeIn(6, setup) {
		return
	}
	a, b, c := f.balance("alice"), f.balance("bob"), f.balance("carol")
	total := a + b + c
	switch {
	case ok == 1 && refused == 1 && a == 30 && total == 100:
	case total != 100:
		t.Error(katatest.Failure{
			Want: "one transfer of 70 succeeds, the other returns ErrInsufficientFunds; alice 30, and 100 in all",
			Got:  fmt.Sprintf("%d succeeded; alice %d, bob %d, carol %d: %d in all", ok, a, b, c, total),
			Means: fmt.Sprintf("money was %s: both transfers read alice's 100 before either wrote. "+
				"The check and the writes must be one transaction that no other writer can enter between the read and the write%s",
				map[bool]string{true: "created", false: "lost"}[total > 100], setup),
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

// Task 3: a transfer may move the whole balance.
func TestTransfer_WholeBalance(t *testing.T) {
	t.Parallel() // real I/O and real waits: the tests overlap them
	f := newFixture(t, 6, opening{"alice", 100}, opening{"bob", 50})
	err := try(func() error { return f.bank.Transfer(t.Context(), "alice", "bob", 100) })
	f.checkReleased("Transfer(alice, bob, 100)", 6)
	a, b := f.balance("alice"), f.balance("bob")
	switch {
	case err == nil && a == 0 && b == 150:
	case errors.Is(err, ErrInsufficientFunds) && a == 100 && b == 50:
		t.Error(katatest.Failure{
			Want: "Transfer(alice, bob, 100) from a balance of 100 returns nil: alice 0, bob 150",
			Got:  fmt.Sprintf("it returned %v; alice %d, bob %d", err, a, b),
			Means: "the whole balance was refused: the check is one off. A transfer that leaves exactly zero is allowed: " +
				"refuse only when the balance is less than the amount (balance < amount)",
			Hint: 6,
		})
	case err != nil:
		f.unexpected("Transfer(alice, bob, 100)", err, "nil: a transfer of the whole balance is allowed", 6)
	default:
		t.Error(katatest.Failure{
			Want:  "Transfer(alice, bob, 100) from a balance of 100: alice 0, bob 150",
			Got:   fmt.Sprintf("it returned nil; alice %d, bob %d", a, b),
			Means: "the transfer reported success but the balances do not show it",
			Hint:  6,
		})
	}
}

// transferPlan is a fixed, varied list of transfers among four accounts.
// Every tenth is refused whatever the order in which they run.
func transferPlan(n int) (from, to []string, amount []int64) {
	ids := []string{"alice", "bob", "carol", "dave"}
	for i := range n {
		src := i % 4
		dst := (src + 1 + (i/4)%3) % 4
		from = append(from, ids[src])
		to = append(to, ids[dst])
		if i%10 == 9 {
			// More than all four accounts hold together: refused whatever
			// the order, so every run takes the refusal's path.
			amount = append(amount, 401)
			continue
		}
		amount = append(amount, int64(1+(i*37)%60))
	}
	return from, to, amount
}

// Task 3: many transfers at once conserve money, exactly.
func TestTransfer_ConservesMoney(t *testing.T) {
	t.Parallel() // real I/O and real waits: the tests overlap them
	ids := []string{"alice", "bob", "carol", "dave"}
	f := newFixture(t, 7, opening{"alice", 100}, opening{"bob", 100}, opening{"carol", 100}, opening{"dave", 100})
	calls := meetBeforeWrite(f.bank)
	const n = 60
	from, to, amount := transferPlan(n)
	errs := f.concurrently(n, func(ctx context.Context, i int) error { return f.bank.Transfer(ctx, from[i], to[i], amount[i]) })
	if _, _, ok := f.tally("Transfer", errs, ErrInsufficientFunds, 7); !ok {
		return
	}
	if !f.checkHookCalled(calls, 1, "Transfer") {
		return
	}
	if !f.checkNeverNegative(6) {
		return
	}
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
	t.Parallel() // real I/O and real waits: the tests overlap them
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
		f.checkReleased(name, 6)
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
	t.Parallel() // real I/O and real waits: the tests overlap them
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
		{"Transfer(cancelled context, alice, bob, 10)", func() error { return f.bank.Transfer(cancelled(), "alice", "bob", 10) },
			context.Canceled, ignoredContext},
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
	if !f.checkNeverNegative(3) {
		return
	}
}
