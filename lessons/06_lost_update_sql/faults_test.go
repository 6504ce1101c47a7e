package lostupdatesql

import (
	"context"
	"database/sql"
	"database/sql/driver"
	"errors"
	"fmt"
	"runtime"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"modernc.org/sqlite"

	"github.com/gokatas/concurrency/lessons/internal/katatest"
)

// The tests in this file open a second kind of Bank on the test's file: a
// fault bank, whose database/sql pool talks to SQLite (modernc.org/sqlite's
// driver, with Open's dsn) through a driver.Connector of the test's own.
// Its connections, statements, results and transactions count every call
// that reaches the database, the points: BeginTx, ExecContext,
// QueryContext, RowsAffected and Commit. The test can make the N-th point
// fail with errInjected, or cancel the operation's context right after the
// N-th point, and it sees every statement that reaches the database after
// the context was done.

// errInjected is the error the fault bank's database returns at the point
// the test chose.
var errInjected = errors.New("the database failed (an error injected by the test)")

// point is one call that reached the database.
type point struct {
	kind  string // BeginTx, ExecContext, QueryContext, RowsAffected or Commit
	query string // the statement, for ExecContext and QueryContext, and the one RowsAffected counts
	inTx  bool   // inside a transaction
}

func (p point) String() string {
	if p.query == "" {
		return p.kind
	}
	return fmt.Sprintf("%s(%q)", p.kind, strings.Join(strings.Fields(p.query), " "))
}

// faults is what a fault bank's database is told to do, and what it saw.
// The test arms it around one operation.
type faults struct {
	mu       sync.Mutex
	armed    bool
	n        int                // points so far
	failAt   int                // the point that fails with errInjected; 0 for none
	cancelAt int                // the point after which cancel is called; 0 for none
	cancel   context.CancelFunc // the operation's context's
	fired    *point             // the point that failed
	done     bool               // the operation's context is done
	late     []point            // statements that reached the database after that
	seen     []point            // every point, in order
	wrote    bool               // a write was committed before the context was done
}

// arm starts counting points for one operation.
func (fs *faults) arm(failAt, cancelAt int, cancel context.CancelFunc) {
	fs.mu.Lock()
	defer fs.mu.Unlock()
	fs.armed, fs.n, fs.failAt, fs.cancelAt, fs.cancel = true, 0, failAt, cancelAt, cancel
	fs.fired, fs.done, fs.late, fs.wrote, fs.seen = nil, false, nil, false, nil
}

// disarm stops counting and returns what happened.
func (fs *faults) disarm() (fired *point, done bool, late []point, wrote bool) {
	fs.mu.Lock()
	defer fs.mu.Unlock()
	fs.armed = false
	return fs.fired, fs.done, fs.late, fs.wrote
}

// points returns the points of the last armed run.
func (fs *faults) points() []point {
	fs.mu.Lock()
	defer fs.mu.Unlock()
	return fs.seen
}

// markDone records that the test cancelled the operation's context.
func (fs *faults) markDone() {
	fs.mu.Lock()
	defer fs.mu.Unlock()
	fs.done = true
}

// enter is called before point p reaches the database. It returns the
// point's number (0 if not armed), and errInjected if p is the one to fail.
func (fs *faults) enter(p point) (int, error) {
	fs.mu.Lock()
	defer fs.mu.Unlock()
	if !fs.armed {
		return 0, nil
	}
	if fs.done && p.kind != "RowsAffected" {
		fs.late = append(fs.late, p)
	}
	fs.n++
	fs.seen = append(fs.seen, p)
	if fs.n == fs.failAt {
		fs.fired = &p
		return fs.n, errInjected
	}
	return fs.n, nil
}

// complete is called once point i has been done. A write outside a
// transaction, and a Commit, are then in the database. If i is the point
// to cancel after, it cancels the operation's context.
func (fs *faults) complete(i int, p point, err error) {
	fs.mu.Lock()
	if !fs.armed || i == 0 {
		fs.mu.Unlock()
		return
	}
	if err == nil && !fs.done && (p.kind == "Commit" || p.kind == "ExecContext" && !p.inTx) {
		fs.wrote = true
	}
	var cancel context.CancelFunc
	if i == fs.cancelAt {
		cancel, fs.done = fs.cancel, true
	}
	fs.mu.Unlock()
	if cancel != nil {
		cancel()
	}
}

// faultConnector opens SQLite connections with the driver of
// modernc.org/sqlite and wraps them.
type faultConnector struct {
	dsn string
	drv *sqlite.Driver
	fs  *faults
}

func (c *faultConnector) Connect(context.Context) (driver.Conn, error) {
	conn, err := c.drv.Open(c.dsn)
	if err != nil {
		return nil, err
	}
	return &faultConn{c: conn, fs: c.fs}, nil
}

func (c *faultConnector) Driver() driver.Driver { return c.drv }

// faultConn is one connection of the fault bank's pool. database/sql uses
// a connection from one goroutine at a time; inTx is atomic all the same,
// because a context's end rolls a transaction back from another goroutine.
type faultConn struct {
	c    driver.Conn
	fs   *faults
	inTx atomic.Bool
}

func (c *faultConn) Prepare(query string) (driver.Stmt, error) {
	return c.PrepareContext(context.Background(), query)
}

func (c *faultConn) PrepareContext(ctx context.Context, query string) (driver.Stmt, error) {
	s, err := c.c.(driver.ConnPrepareContext).PrepareContext(ctx, query)
	if err != nil {
		return nil, err
	}
	return &faultStmt{s: s, c: c, query: query}, nil
}

func (c *faultConn) Close() error { return c.c.Close() }

func (c *faultConn) Begin() (driver.Tx, error) {
	return c.BeginTx(context.Background(), driver.TxOptions{})
}

func (c *faultConn) BeginTx(ctx context.Context, opts driver.TxOptions) (driver.Tx, error) {
	p := point{kind: "BeginTx"}
	i, err := c.fs.enter(p)
	if err != nil {
		return nil, err
	}
	t, err := c.c.(driver.ConnBeginTx).BeginTx(ctx, opts)
	if err == nil {
		c.inTx.Store(true)
	}
	c.fs.complete(i, p, err)
	if err != nil {
		return nil, err
	}
	return &faultTx{t: t, c: c}, nil
}

func (c *faultConn) ExecContext(ctx context.Context, query string, args []driver.NamedValue) (driver.Result, error) {
	return c.exec(ctx, query, args, c.c.(driver.ExecerContext).ExecContext)
}

func (c *faultConn) exec(ctx context.Context, query string, args []driver.NamedValue,
	do func(context.Context, string, []driver.NamedValue) (driver.Result, error)) (driver.Result, error) {
	p := point{kind: "ExecContext", query: query, inTx: c.inTx.Load()}
	i, err := c.fs.enter(p)
	if err != nil {
		return nil, err
	}
	r, err := do(ctx, query, args)
	c.fs.complete(i, p, err)
	if err != nil {
		return nil, err
	}
	return &faultResult{r: r, fs: c.fs, query: query, inTx: p.inTx}, nil
}

func (c *faultConn) QueryContext(ctx context.Context, query string, args []driver.NamedValue) (driver.Rows, error) {
	return c.query(ctx, query, args, c.c.(driver.QueryerContext).QueryContext)
}

func (c *faultConn) query(ctx context.Context, query string, args []driver.NamedValue,
	do func(context.Context, string, []driver.NamedValue) (driver.Rows, error)) (driver.Rows, error) {
	p := point{kind: "QueryContext", query: query, inTx: c.inTx.Load()}
	i, err := c.fs.enter(p)
	if err != nil {
		return nil, err
	}
	r, err := do(ctx, query, args)
	if err != nil {
		c.fs.complete(i, p, err)
		return nil, err
	}
	// The query is done when its rows are closed: a Scan has read them.
	return &faultRows{Rows: r, done: func() { c.fs.complete(i, p, nil) }}, nil
}

func (c *faultConn) ResetSession(ctx context.Context) error {
	if r, ok := c.c.(driver.SessionResetter); ok {
		return r.ResetSession(ctx)
	}
	return nil
}

func (c *faultConn) IsValid() bool {
	if v, ok := c.c.(driver.Validator); ok {
		return v.IsValid()
	}
	return true
}

// faultStmt is a prepared statement of a faultConn.
type faultStmt struct {
	s     driver.Stmt
	c     *faultConn
	query string
}

func (s *faultStmt) Close() error  { return s.s.Close() }
func (s *faultStmt) NumInput() int { return s.s.NumInput() }

func (s *faultStmt) Exec(args []driver.Value) (driver.Result, error) {
	return s.ExecContext(context.Background(), named(args))
}

func (s *faultStmt) Query(args []driver.Value) (driver.Rows, error) {
	return s.QueryContext(context.Background(), named(args))
}

func (s *faultStmt) ExecContext(ctx context.Context, args []driver.NamedValue) (driver.Result, error) {
	return s.c.exec(ctx, s.query, args, func(ctx context.Context, _ string, args []driver.NamedValue) (driver.Result, error) {
		return s.s.(driver.StmtExecContext).ExecContext(ctx, args)
	})
}

func (s *faultStmt) QueryContext(ctx context.Context, args []driver.NamedValue) (driver.Rows, error) {
	return s.c.query(ctx, s.query, args, func(ctx context.Context, _ string, args []driver.NamedValue) (driver.Rows, error) {
		return s.s.(driver.StmtQueryContext).QueryContext(ctx, args)
	})
}

func named(args []driver.Value) []driver.NamedValue {
	nv := make([]driver.NamedValue, len(args))
	for i, v := range args {
		nv[i] = driver.NamedValue{Ordinal: i + 1, Value: v}
	}
	return nv
}

// faultTx is a transaction of a faultConn. A Commit that fails rolls the
// transaction back underneath: nothing of it is in the database.
type faultTx struct {
	t driver.Tx
	c *faultConn
}

func (t *faultTx) Commit() error {
	p := point{kind: "Commit", inTx: true}
	i, err := t.c.fs.enter(p)
	if err != nil {
		t.t.Rollback()
		t.c.inTx.Store(false)
		return err
	}
	err = t.t.Commit()
	t.c.inTx.Store(false)
	t.c.fs.complete(i, p, err)
	return err
}

func (t *faultTx) Rollback() error {
	defer t.c.inTx.Store(false)
	return t.t.Rollback()
}

// faultResult is the result of a statement of a faultConn.
type faultResult struct {
	r     driver.Result
	fs    *faults
	query string
	inTx  bool
}

func (r *faultResult) LastInsertId() (int64, error) { return r.r.LastInsertId() }

func (r *faultResult) RowsAffected() (int64, error) {
	p := point{kind: "RowsAffected", query: r.query, inTx: r.inTx}
	i, err := r.fs.enter(p)
	if err != nil {
		return 0, err
	}
	n, err := r.r.RowsAffected()
	r.fs.complete(i, p, err)
	return n, err
}

// faultRows are the rows of a query of a faultConn.
type faultRows struct {
	driver.Rows
	once sync.Once
	done func()
}

func (r *faultRows) Close() error {
	err := r.Rows.Close()
	r.once.Do(r.done)
	return err
}

// faultBank opens a fault bank on the fixture's file, with Open's dsn and
// newBank, and closes it when the test ends.
func (f *fixture) faultBank() (*Bank, *faults) {
	f.t.Helper()
	fs := &faults{}
	b, err := newBank(sql.OpenDB(&faultConnector{dsn: dsn(f.path), drv: &sqlite.Driver{}, fs: fs}))
	if err != nil {
		f.t.Fatalf("open a Bank through the test's connector: %v", err)
	}
	f.t.Cleanup(func() { b.Close() })
	f.banks = append(f.banks, b)
	return b, fs
}

// dbCase is one call that a test makes fail, or cancels, at each of its
// points in turn.
type dbCase struct {
	name  string
	op    func(ctx context.Context, b *Bank) error
	want  error            // what it returns when nothing goes wrong: nil, or a refusal
	moves map[string]int64 // what it adds to each balance when it returns nil
	hint  int
}

// maxPoints bounds the points of one operation: Apply, the longest, makes
// 3 per attempt, and a transfer 6.
const maxPoints = 60

// accountState is the balance and the version of every account of the fixture.
type accountState map[string][2]int64

func (s accountState) String() string {
	var parts []string
	for id, bv := range s {
		parts = append(parts, fmt.Sprintf("%s %d at version %d", id, bv[0], bv[1]))
	}
	// Map order is random; the accounts of a case are few.
	for i := range parts {
		for j := i + 1; j < len(parts); j++ {
			if parts[j] < parts[i] {
				parts[i], parts[j] = parts[j], parts[i]
			}
		}
	}
	return strings.Join(parts, ", ")
}

func (s accountState) equal(o accountState) bool {
	if len(s) != len(o) {
		return false
	}
	for id, bv := range s {
		if o[id] != bv {
			return false
		}
	}
	return true
}

// reset writes the opening balances back, at version 0.
func (f *fixture) reset() {
	f.t.Helper()
	for _, a := range f.openings {
		f.exec(`UPDATE accounts SET balance = ?, version = 0 WHERE id = ?`, a.balance, a.id)
	}
}

// state reads every account with the test's own connection.
func (f *fixture) state() accountState {
	f.t.Helper()
	s := accountState{}
	for _, a := range f.openings {
		b, v := f.row(a.id)
		s[a.id] = [2]int64{b, v}
	}
	return s
}

// opening is the state before any operation: the opening balances at version 0.
func (f *fixture) opening() accountState {
	s := accountState{}
	for _, a := range f.openings {
		s[a.id] = [2]int64{a.balance, 0}
	}
	return s
}

// after is the state once c has succeeded.
func (f *fixture) after(c dbCase) accountState {
	s := f.opening()
	for id, m := range c.moves {
		s[id] = [2]int64{s[id][0] + m, 1}
	}
	return s
}

// settle waits, for a second at most, until the fault bank has its
// connections back: when a context ends, database/sql rolls the
// transaction back in a goroutine of its own, which may still be at it when
// the operation returns. Then it checks that none stays in use.
func (f *fixture) settle(op string, hint int) {
	f.t.Helper()
	deadline := time.Now().Add(time.Second)
	for f.inUse() > 0 && time.Now().Before(deadline) {
		runtime.Gosched()
	}
	f.checkReleased(op, hint)
}

// checkDatabaseErrors runs each case once for every point it reaches,
// making that point fail, and then once with nothing failing. At every
// failure the operation must return errInjected (errors.Is) and write
// nothing.
func (f *fixture) checkDatabaseErrors(cases []dbCase) {
	t := f.t
	t.Helper()
	b, fs := f.faultBank()
	for _, c := range cases {
		for n := 1; ; n++ {
			if n > maxPoints {
				t.Error(katatest.Failure{
					Want:  fmt.Sprintf("%s makes at most %d calls to the database", c.name, maxPoints),
					Got:   fmt.Sprintf("it was still making calls when its call %d failed", n),
					Means: "the operation does not stop when the database fails: it retries a failing statement without end",
					Hint:  c.hint,
				})
				return
			}
			f.reset()
			fs.arm(n, 0, nil)
			err := try(func() error { return c.op(t.Context(), b) })
			fired, _, _, _ := fs.disarm()
			f.settle(c.name, c.hint)
			got := f.state()
			if fired == nil {
				// The operation makes fewer than n calls: this time it ran
				// with nothing failing.
				want := f.opening()
				if c.want == nil {
					want = f.after(c)
				}
				if !errors.Is(err, c.want) || !got.equal(want) {
					t.Error(katatest.Failure{
						Want:  fmt.Sprintf("%s, with no call to the database failing, returns %s and leaves %v", c.name, nameOrNil(c.want), want),
						Got:   fmt.Sprintf("%v; %v", errString(err), got),
						Means: "through a pool opened as Open opens it, the operation does not do what it does through Open",
						Hint:  c.hint,
					})
				}
				break
			}
			// A write outside a transaction is in the database before its
			// RowsAffected is asked: that one may have happened.
			maybeWritten := fired.kind == "RowsAffected" && !fired.inTx
			unchanged := got.equal(f.opening()) || maybeWritten && got.equal(f.after(c))
			if errors.Is(err, errInjected) && unchanged {
				continue
			}
			want := fmt.Sprintf("%s returns the database's error (errors.Is finds it) when call %d to the database, %v, fails; and writes nothing",
				c.name, n, fired)
			var p panicked
			switch {
			case errors.As(err, &p):
				t.Error(katatest.Failure{
					Want: want,
					Got:  fmt.Sprintf("it panicked: %v", p.value),
					Means: fmt.Sprintf("the error of %s was dropped: the code went on with the nil value that came with the error, and panicked. "+
						"Check every error the database returns, right away: if err != nil { return err }", fired.kind),
					Hint: c.hint,
				})
			case !errors.Is(err, errInjected):
				means := fmt.Sprintf("the error of %s was dropped: the code went on as if the call had worked, with a zero value "+
					"in place of what it would have returned, and ", fired.kind)
				if err == nil {
					means += "reported success"
				} else {
					means += "returned another error, that follows from that zero value"
				}
				if !unchanged {
					means += ", and wrote anyway"
				}
				if fired.kind == "Commit" {
					means = "the error of Commit was dropped: the transaction was not committed, nothing of it is in the database, " +
						"and the transfer reported success. return tx.Commit()"
				}
				t.Error(katatest.Failure{
					Want:  want,
					Got:   fmt.Sprintf("%s; %v", errString(err), got),
					Means: means + ". Check every error the database returns, right away: if err != nil { return err }",
					Hint:  c.hint,
				})
			default:
				t.Error(katatest.Failure{
					Want: want,
					Got:  fmt.Sprintf("it returned the error, but wrote: %v", got),
					Means: fmt.Sprintf("the operation wrote although %s failed: a write went on after the error, or went to b.db "+
						"instead of tx, outside the transaction that the failure rolled back", fired.kind),
					Hint: c.hint,
				})
			}
			return
		}
	}
}

// checkCancelled runs each case with its context cancelled at each moment
// in turn: in beforeWrite (for the cases that write), before the call, and
// right after each point it reaches. A statement must never reach the
// database after the context is done, the call must return an error that
// errors.Is context.Canceled unless it had finished before the context was
// done, and nothing may be written unless the write was committed before.
func (f *fixture) checkCancelled(cases []dbCase) {
	t := f.t
	t.Helper()
	b, fs := f.faultBank()
	for _, c := range cases {
		// One run with nothing cancelled, to learn the call's points.
		f.reset()
		fs.arm(0, 0, nil)
		try(func() error { return c.op(t.Context(), b) })
		fs.disarm()
		seq := fs.points()
		f.settle(c.name, c.hint)
		// after is -1 for beforeWrite, 0 for an already cancelled
		// context, and n for right after point n.
		for after := -1; ; after++ {
			if after == -1 && c.want != nil {
				continue // a refusal may come before any write
			}
			if after > maxPoints {
				break
			}
			f.reset()
			ctx, cancel := context.WithCancel(t.Context())
			var calls atomic.Int32
			moment := fmt.Sprintf("its context cancelled right after call %d to the database", after)
			switch after {
			case -1:
				moment = "its context cancelled in beforeWrite, after its reads and before its first write"
				b.beforeWrite = func() {
					if calls.Add(1) == 1 {
						cancel()
						fs.markDone()
					}
				}
				fs.arm(0, 0, nil)
			case 0:
				moment = "a context that is already cancelled"
				fs.arm(0, 0, nil)
				cancel()
				fs.markDone()
			default:
				fs.arm(0, after, cancel)
			}
			err := try(func() error { return c.op(ctx, b) })
			_, done, late, wrote := fs.disarm()
			cancel()
			b.beforeWrite = nil
			f.settle(c.name, c.hint)
			if after == -1 && !f.checkHookCalled(&calls, 1, strings.SplitN(c.name, "(", 2)[0]) {
				return
			}
			if !done {
				break // past its last point: the call was over before the test cancelled
			}
			got := f.state()
			name := fmt.Sprintf("%s, with %s", c.name, moment)
			if len(late) > 0 {
				t.Error(katatest.Failure{
					Want: name + ", sends no statement to the database after the context is done",
					Got:  fmt.Sprintf("%v reached the database after the context was done (%s)", late[0], katatest.Count(len(late), "statement")),
					Means: "that statement did not get the call's context: it ran with context.Background(), context.WithoutCancel(ctx) " +
						"or another context, or in a transaction begun with one. Pass ctx to every statement (ExecContext, " +
						"QueryRowContext, BeginTx), and return the error the database gives back",
					Hint: c.hint,
				})
				return
			}
			finished := errors.Is(err, c.want) && (c.want != nil && got.equal(f.opening()) || c.want == nil && got.equal(f.after(c)))
			cancelled := errors.Is(err, context.Canceled) && (got.equal(f.opening()) || wrote && got.equal(f.after(c)))
			// When a context ends, database/sql rolls its transaction back
			// in a goroutine of its own. If that rollback comes first,
			// Tx.Commit returns sql.ErrTxDone instead of the context's
			// error: accepted when nothing but Commit was left to do.
			txDone := errors.Is(err, sql.ErrTxDone) && onlyCommitLeft(seq, after) && got.equal(f.opening())
			if finished && after > 0 || cancelled || txDone {
				continue
			}
			var p panicked
			if errors.As(err, &p) {
				f.unexpected(name, err, "an error that errors.Is context.Canceled", c.hint)
				return
			}
			means := ignoredContext
			switch {
			case errors.Is(err, context.Canceled):
				means = "the call returned the context's error, but wrote: a write went on after the context was done"
			case err == nil && got.equal(f.opening()):
				means = "the call reported success and wrote nothing: its context ended before it was done, and the error that " +
					"said so (of a statement, or of Commit) was dropped. Return every error the database gives back"
			}
			t.Error(katatest.Failure{
				Want:  fmt.Sprintf("%s, returns an error that errors.Is context.Canceled and writes nothing", name),
				Got:   fmt.Sprintf("%s; %v", errString(err), got),
				Means: means,
				Hint:  c.hint,
			})
			return
		}
	}
}

// onlyCommitLeft reports whether, of the points seq of a call, only
// Commit comes after the first n.
func onlyCommitLeft(seq []point, n int) bool {
	if n < 1 || n >= len(seq) {
		return false
	}
	for _, p := range seq[n:] {
		if p.kind != "Commit" {
			return false
		}
	}
	return true
}

// nameOrNil names a sentinel error, or nil.
func nameOrNil(err error) string {
	if err == nil {
		return "nil"
	}
	return "an error that errors.Is " + nameOf(err)
}

// errString shows an error, or nil.
func errString(err error) string {
	if err == nil {
		return "nil"
	}
	return fmt.Sprintf("%q", err)
}

// The cases of each task, on alice 100 and bob 50.

func depositWithdrawCases() []dbCase {
	return []dbCase{
		{"Deposit(alice, 10)", func(ctx context.Context, b *Bank) error { return b.Deposit(ctx, "alice", 10) },
			nil, map[string]int64{"alice": 10}, 3},
		{"Withdraw(alice, 30)", func(ctx context.Context, b *Bank) error { return b.Withdraw(ctx, "alice", 30) },
			nil, map[string]int64{"alice": -30}, 3},
		{"Withdraw(alice, 1000)", func(ctx context.Context, b *Bank) error { return b.Withdraw(ctx, "alice", 1000) },
			ErrInsufficientFunds, nil, 3},
	}
}

func applyCases() []dbCase {
	plus5 := func(balance int64) (int64, error) { return balance + 5, nil }
	return []dbCase{
		{"Apply(alice, +5)", func(ctx context.Context, b *Bank) error { return b.Apply(ctx, "alice", plus5) },
			nil, map[string]int64{"alice": 5}, 4},
	}
}

func transferCases() []dbCase {
	return []dbCase{
		{"Transfer(alice, bob, 30)", func(ctx context.Context, b *Bank) error { return b.Transfer(ctx, "alice", "bob", 30) },
			nil, map[string]int64{"alice": -30, "bob": 30}, 6},
		{"Transfer(alice, bob, 1000)", func(ctx context.Context, b *Bank) error { return b.Transfer(ctx, "alice", "bob", 1000) },
			ErrInsufficientFunds, nil, 6},
	}
}

// Task 1: every error of the database comes back, and nothing is written.
func TestDepositWithdraw_DatabaseErrors(t *testing.T) {
	t.Parallel() // real I/O and real waits: the tests overlap them
	f := newFixture(t, 3, opening{"alice", 100}, opening{"bob", 50})
	f.checkDatabaseErrors(depositWithdrawCases())
}

// Task 1: a context that ends before the write stops the call.
func TestDepositWithdraw_CancelMidway(t *testing.T) {
	t.Parallel() // real I/O and real waits: the tests overlap them
	f := newFixture(t, 3, opening{"alice", 100}, opening{"bob", 50})
	f.checkCancelled(depositWithdrawCases())
}

// Task 2: every error of the database comes back, and nothing is written.
func TestApply_DatabaseErrors(t *testing.T) {
	t.Parallel() // real I/O and real waits: the tests overlap them
	f := newFixture(t, 4, opening{"alice", 100}, opening{"bob", 50})
	f.checkDatabaseErrors(applyCases())
}

// Task 2: a context that ends before the write stops the call.
func TestApply_CancelMidway(t *testing.T) {
	t.Parallel() // real I/O and real waits: the tests overlap them
	f := newFixture(t, 4, opening{"alice", 100}, opening{"bob", 50})
	f.checkCancelled(applyCases())
}

// Task 3: every error of the database comes back, and nothing is written.
func TestTransfer_DatabaseErrors(t *testing.T) {
	t.Parallel() // real I/O and real waits: the tests overlap them
	f := newFixture(t, 6, opening{"alice", 100}, opening{"bob", 50})
	f.checkDatabaseErrors(transferCases())
}

// Task 3: a context that ends before the commit stops the transfer.
func TestTransfer_CancelMidway(t *testing.T) {
	t.Parallel() // real I/O and real waits: the tests overlap them
	f := newFixture(t, 6, opening{"alice", 100}, opening{"bob", 50})
	f.checkCancelled(transferCases())
}
