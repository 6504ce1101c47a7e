package boundedconcurrency

import (
	"context"
	"errors"
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"testing/synctest"
	"time"

	"github.com/gokatas/concurrency/lessons/internal/katatest"
)

// A submitter calls l.Go for calls first to first+n-1 of db, one after
// another, in a goroutine of its own, and then l.Wait.
type submitter struct {
	mu       sync.Mutex
	returned int     // calls of Go that returned
	goErrs   []error // what those calls of Go returned, when not nil
}

func (sub *submitter) start(ctx context.Context, l *Limiter, db *fakeDB, first, n int) <-chan outcome {
	return inBackground(func() error {
		for i := first; i < first+n; i++ {
			err := l.Go(ctx, func() error { return db.query(ctx, i) })
			sub.mu.Lock()
			sub.returned++
			if err != nil {
				sub.goErrs = append(sub.goErrs, err)
			}
			sub.mu.Unlock()
		}
		return l.Wait()
	})
}

func (sub *submitter) counts() (returned int, goErrs []error) {
	sub.mu.Lock()
	defer sub.mu.Unlock()
	return sub.returned, append([]error(nil), sub.goErrs...)
}

const acquireInside = "acquire inside the goroutine: Go started a goroutine at once and let it wait there for a slot. " +
	"The functions are bounded, the goroutines are not. Take the slot in Go, before the go statement"

// Task 4: exactly k functions run; Go waits for a slot; a returning function makes room at once.
func TestLimiter_ExactlyKRunning(t *testing.T) {
	katatest.Bubble(t, 6, func(t *testing.T) {
		const n, k = 10, 3
		db := newDB(t).gated(n)
		var sub submitter
		out := sub.start(testContext(t), NewLimiter(k), db, 0, n)
		synctest.Wait()
		s := db.snap()
		checkInFlight(t, s, k, n, "the Limiter")
		if returned, _ := sub.counts(); returned != k {
			t.Fatal(katatest.Failure{
				Want:  fmt.Sprintf("%d calls of Go returned, the 4th waiting for a slot", k),
				Got:   fmt.Sprintf("%d calls of Go returned while %d functions run", returned, s.load),
				Means: acquireInside,
				Hint:  6,
			})
		}
		db.open(s.started[0])
		s = db.snap()
		if len(s.started) != k+1 {
			t.Fatal(katatest.Failure{
				Want:  fmt.Sprintf("a new function starts the moment one returns: %d started, %d running", k+1, k),
				Got:   fmt.Sprintf("%d started, %d running", len(s.started), s.load),
				Means: "the slot of a function that returned was not freed at once",
				Hint:  6,
			})
		}
		checkInFlight(t, s, k, n, "the Limiter")
		db.openAll()
		o := await(t, "Wait", out, 6)
		if o.err != nil || len(db.snap().started) != n {
			t.Errorf("%v", katatest.Failure{
				Want: fmt.Sprintf("Wait returns nil once all %d functions ran", n),
				Got:  fmt.Sprintf("%v, %s ran", o.err, katatest.Count(len(db.snap().started), "function")),
				Hint: 6,
			})
		}
	})
}

// Task 4: a function's goroutine exists only once it has a slot.
func TestLimiter_GoroutinesBounded(t *testing.T) {
	katatest.Bubble(t, 6, func(t *testing.T) {
		const n, k = 1000, 3
		db := newDB(t).gated(n)
		before := goroutines()
		var sub submitter
		out := sub.start(testContext(t), NewLimiter(k), db, 0, n)
		synctest.Wait()
		extra := goroutines() - before
		checkInFlight(t, db.snap(), k, n, "the Limiter")
		if extra > k+2 {
			t.Fatal(katatest.Failure{
				Want:  fmt.Sprintf("at most %d goroutines: the %d functions running and the caller of Go", k+2, k),
				Got:   fmt.Sprintf("%d goroutines for %d calls of Go", extra, n),
				Means: acquireInside,
				Hint:  6,
			})
		}
		db.openAll()
		await(t, "Wait", out, 6)
	})
}

// Task 4: the functions run side by side, k at a time.
func TestLimiter_StillConcurrent(t *testing.T) {
	katatest.Bubble(t, 6, func(t *testing.T) {
		db := newDB(t)
		var sub submitter
		o := await(t, "Wait", sub.start(testContext(t), NewLimiter(4), db, 0, 12), 6)
		s := db.snap()
		if s.maxLoad > 4 {
			t.Fatal(tooMany(4, s.maxLoad, 12))
		}
		if o.err != nil || len(s.started) != 12 || o.took != 300*time.Millisecond {
			t.Fatal(katatest.Failure{
				Want:  "nil after 300ms: 12 functions of 100ms, 4 at a time",
				Got:   fmt.Sprintf("%v after %v, %s ran, at most %d at once", o.err, o.took, katatest.Count(len(s.started), "function"), s.maxLoad),
				Means: "the functions must run in goroutines, k at a time, and Wait must wait for all of them",
				Hint:  6,
			})
		}
	})
}

// Task 4: Go gives up when its context is done before a slot is free.
func TestLimiter_GoCancelledWhileWaiting(t *testing.T) {
	katatest.Bubble(t, 6, func(t *testing.T) {
		db := newDB(t).gated(2)
		ctx := testContext(t)
		l := NewLimiter(1)
		if err := l.Go(ctx, func() error { return db.query(ctx, 0) }); err != nil {
			t.Fatalf("%v", katatest.Failure{Want: "the first Go of an idle Limiter returns nil", Got: fmt.Sprint(err), Hint: 6})
		}
		waitCtx, cancel := context.WithCancel(ctx)
		defer cancel()
		second := inBackground(func() error { return l.Go(waitCtx, func() error { return db.query(ctx, 1) }) })
		synctest.Wait()
		if o, ok := returned(second); ok {
			t.Fatal(katatest.Failure{
				Want:  "the second Go waits: the only slot is taken",
				Got:   fmt.Sprintf("it returned %v at once", o.err),
				Means: acquireInside,
				Hint:  6,
			})
		}
		cancel()
		synctest.Wait()
		o, ok := returned(second)
		if !ok || !errors.Is(o.err, context.Canceled) {
			t.Fatal(katatest.Failure{
				Want:  "Go returns context.Canceled the moment its context is cancelled",
				Got:   fmt.Sprintf("returned: %v (%v)", ok, o.err),
				Means: "Go must wait for a slot or for the context, whichever comes first: a select with both",
				Hint:  6,
			})
		}
		db.openAll()
		if err := l.Wait(); err != nil || len(db.snap().started) != 1 {
			t.Error(katatest.Failure{
				Want:  "Wait returns nil, and the function whose Go gave up never ran",
				Got:   fmt.Sprintf("%v; functions run: %v", err, db.snap().started),
				Means: "a function whose Go returned an error must never start",
				Hint:  6,
			})
		}
	})
}

// Task 4: a context already done runs nothing, even with slots free, and
// takes no slot. A select with a free slot and a done context both ready
// picks either at random, so Go is called 64 times, half with a cancelled
// context, half with one whose deadline has passed: a select alone lets f
// through on almost every run. Then the limiter must still run 2 at once.
func TestLimiter_GoAlreadyCancelled(t *testing.T) {
	katatest.Bubble(t, 6, func(t *testing.T) {
		db := newDB(t).gated(2)
		cancelled, cancel := context.WithCancel(testContext(t))
		cancel()
		expired, cancel2 := context.WithDeadline(testContext(t), time.Now().Add(-time.Second))
		defer cancel2()
		l := NewLimiter(2)
		for try := range 64 {
			ctx, want := cancelled, context.Canceled
			if try%2 == 1 {
				ctx, want = expired, context.DeadlineExceeded
			}
			err := l.Go(ctx, func() error { return db.query(ctx, 0) })
			if !errors.Is(err, want) || len(db.snap().started) != 0 {
				means := "with a free slot and a done context both ready, select picks either at random: " +
					"check ctx.Err() before you take the slot"
				if err != nil && len(db.snap().started) == 0 {
					means = "Go must return ctx.Err() itself, not a fixed error: a deadline that passed is " +
						"context.DeadlineExceeded, a cancel is context.Canceled"
				}
				t.Fatal(katatest.Failure{
					Want:  fmt.Sprintf("Go returns %v and f never runs: the context was done before Go was called", want),
					Got:   fmt.Sprintf("Go (try %d of 64) returned %v, functions run: %v", try+1, err, db.snap().started),
					Means: means,
					Hint:  6,
				})
			}
		}
		// Both slots must still be free: two functions run at once.
		ctx := testContext(t)
		var sub submitter
		out := sub.start(ctx, l, db, 0, 2)
		synctest.Wait()
		if s := db.snap(); s.load != 2 {
			t.Fatal(katatest.Failure{
				Want:  "2 functions running: the Gos that gave up took no slot",
				Got:   fmt.Sprintf("%s running after 64 calls of Go with a done context", katatest.Count(s.load, "function")),
				Means: "slot leaked on the cancel path: Go took a slot and returned ctx.Err() without giving it back",
				Hint:  6,
			})
		}
		db.openAll()
		if o := await(t, "Wait", out, 6); o.err != nil {
			t.Errorf("%v", katatest.Failure{Want: "Wait returns nil: no function failed", Got: fmt.Sprint(o.err), Hint: 6})
		}
	})
}

// Task 4: a panic becomes an error, and its slot is freed.
func TestLimiter_PanicBecomesError(t *testing.T) {
	katatest.Bubble(t, 6, func(t *testing.T) {
		db := newDB(t)
		db.panics[0] = true
		var sub submitter
		o := await(t, "Wait", sub.start(testContext(t), NewLimiter(1), db, 0, 2), 6)
		_, goErrs := sub.counts()
		switch {
		case len(goErrs) > 0:
			t.Fatal(katatest.Failure{
				Want: "function 1 runs after function 0 panicked: the only slot is free again",
				Got:  fmt.Sprintf("Go for function 1 waited until its context ended, and returned %v", goErrs[0]),
				Means: "slot leaked on a panic: the slot is given back after f returns, and a panic skips that line. " +
					"Free the slot in a defer",
				Hint: 6,
			})
		case !errors.Is(o.err, ErrPanic) || !strings.Contains(o.err.Error(), "index out of range"):
			t.Fatal(katatest.Failure{
				Want:  `Wait returns an error wrapping ErrPanic that shows the panic's value ("query 0: index out of range")`,
				Got:   fmt.Sprint(o.err),
				Means: "recover the panic in the function's goroutine and turn it into an error: fmt.Errorf(\"%w: %v\", ErrPanic, r)",
				Hint:  6,
			})
		case len(db.snap().started) != 2 || o.took != 200*time.Millisecond:
			t.Fatal(katatest.Failure{
				Want:  "both functions ran, one after the other: Wait returns at 200ms",
				Got:   fmt.Sprintf("functions run: %v, Wait returned at %v", db.snap().started, o.took),
				Means: "a panicking function must not stop the others",
				Hint:  6,
			})
		}
	})
}

// Task 4: every error is returned, the last one's too, and a failing
// function frees its slot.
func TestLimiter_ErrorsJoined(t *testing.T) {
	katatest.Bubble(t, 6, func(t *testing.T) {
		db := newDB(t)
		errLast := errors.New("db: connection reset")
		db.fail[1], db.fail[4] = errDB, errLast
		var sub submitter
		o := await(t, "Wait", sub.start(testContext(t), NewLimiter(1), db, 0, 5), 6)
		_, goErrs := sub.counts()
		switch {
		case len(goErrs) > 0:
			t.Fatal(katatest.Failure{
				Want: "function 2 runs after function 1 failed: the only slot is free again",
				Got:  fmt.Sprintf("Go waited until its context ended, and returned %v", goErrs[0]),
				Means: "slot leaked on an error: the slot is given back only when f succeeds. " +
					"Free the slot in a defer",
				Hint: 6,
			})
		case !errors.Is(o.err, errDB) || !errors.Is(o.err, errLast):
			t.Fatal(katatest.Failure{
				Want:  fmt.Sprintf("an error for which errors.Is finds both %q (function 1) and %q (function 4, the last)", errDB, errLast),
				Got:   fmt.Sprint(o.err),
				Means: "errors were lost: keep every function's error (under a mutex) and join them in Wait",
				Hint:  6,
			})
		case o.took != 500*time.Millisecond:
			t.Fatal(katatest.Failure{
				Want:  "Wait returns at 500ms, when the last of 5 functions of 100ms, one at a time, returned",
				Got:   fmt.Sprint(o.took),
				Means: "Wait must wait for every function started by Go",
				Hint:  6,
			})
		}
	})
}

// Task 4: two functions that fail and two that panic, all at the same
// moment, have every error kept. Their goroutines append to one list at
// once, on the error path and on the panic path, so under -race a list
// unguarded on either path is reported on every run, not only when the
// scheduler happens to line two failures up.
func TestLimiter_ErrorsAtOnce(t *testing.T) {
	katatest.Bubble(t, 6, func(t *testing.T) {
		db := newDB(t).gated(4)
		errLast := errors.New("db: connection reset")
		db.fail[0], db.fail[1] = errDB, errLast
		db.panics[2], db.panics[3] = true, true
		var sub submitter
		out := sub.start(testContext(t), NewLimiter(4), db, 0, 4)
		synctest.Wait() // all four functions are running
		db.openAll()    // and all fail now, together
		o := await(t, "Wait", out, 6)
		panics := 0
		for _, e := range unwrapAll(o.err) {
			if errors.Is(e, ErrPanic) {
				panics++
			}
		}
		if !errors.Is(o.err, errDB) || !errors.Is(o.err, errLast) || panics != 2 {
			t.Fatal(katatest.Failure{
				Want: fmt.Sprintf("an error for which errors.Is finds both %q and %q, and two errors wrapping ErrPanic: "+
					"four functions failed at the same moment, two of them by panicking", errDB, errLast),
				Got:   fmt.Sprint(o.err),
				Means: "goroutines appended to the error list at once and an error was lost: guard the list with the mutex, on every path",
				Hint:  6,
			})
		}
	})
}

// unwrapAll returns the errors that err joins, or err alone.
func unwrapAll(err error) []error {
	if j, ok := err.(interface{ Unwrap() []error }); ok {
		return j.Unwrap()
	}
	if err == nil {
		return nil
	}
	return []error{err}
}

// Task 4: two goroutines share one Limiter.
func TestLimiter_ConcurrentCallers(t *testing.T) {
	katatest.Bubble(t, 6, func(t *testing.T) {
		db := newDB(t)
		db.latency = func(i int) time.Duration { return time.Duration(10+i%3) * time.Millisecond }
		for i := 0; i < 50; i += 7 {
			db.fail[i] = fmt.Errorf("query %d: %w", i, errDB)
		}
		ctx := testContext(t)
		l := NewLimiter(4)
		start := make(chan struct{}) // both callers begin at the same instant
		var wg sync.WaitGroup
		var mu sync.Mutex
		var goErrs []error
		for _, first := range []int{0, 25} {
			wg.Go(func() {
				<-start
				for i := first; i < first+25; i++ {
					if err := l.Go(ctx, func() error { return db.query(ctx, i) }); err != nil {
						mu.Lock()
						goErrs = append(goErrs, err)
						mu.Unlock()
					}
				}
			})
		}
		close(start)
		wg.Wait() // every Go has returned; Wait is called once, after the last
		if len(goErrs) > 0 {
			t.Fatal(katatest.Failure{
				Want:  "every Go returns nil: the context lasts an hour",
				Got:   fmt.Sprintf("Go returned %v", goErrs[0]),
				Means: "a slot was never freed, so Go waited until its context ended",
				Hint:  6,
			})
		}
		err := l.Wait()
		s := db.snap()
		if s.maxLoad > 4 {
			t.Fatal(tooMany(4, s.maxLoad, 50))
		}
		found := 0
		for i := 0; i < 50; i += 7 {
			if errors.Is(err, db.fail[i]) {
				found++
			}
		}
		if len(s.started) != 50 || found != 8 {
			t.Error(katatest.Failure{
				Want:  "50 functions run from two goroutines, and Wait returning the 8 errors among them",
				Got:   fmt.Sprintf("%s ran, %d of the 8 errors returned", katatest.Count(len(s.started), "function"), found),
				Means: "Go is called from two goroutines at once: what it shares (the error list) must be guarded by a mutex",
				Hint:  6,
			})
		}
	})
}

// Task 4: a Limiter that could never run anything is refused.
func TestLimiter_NewLimiterBelowOne(t *testing.T) {
	katatest.Watchdog(t, 6)
	for _, k := range []int{0, -1} {
		panicked := func() (p bool) {
			defer func() { p = recover() != nil }()
			NewLimiter(k)
			return false
		}()
		if !panicked {
			t.Error(katatest.Failure{
				Want:  fmt.Sprintf("NewLimiter(%d) panics", k),
				Got:   "it returned a Limiter",
				Means: "a Limiter with no slot makes every Go wait forever: refuse it when it is made, as make does with a negative size",
				Hint:  6,
			})
		}
	}
}

// Task 4: Wait with nothing started returns at once.
func TestLimiter_WaitForNothing(t *testing.T) {
	katatest.Bubble(t, 6, func(t *testing.T) {
		o := await(t, "Wait", inBackground(NewLimiter(2).Wait), 6)
		if o.err != nil || o.took != 0 {
			t.Error(katatest.Failure{Want: "nil at once", Got: fmt.Sprintf("%v after %v", o.err, o.took), Hint: 6})
		}
	})
}

// Task 4: a function is counted before its goroutine starts. An Add after
// the go statement lets a quick function call Done first: the counter goes
// negative (a panic), or Wait sees zero and returns while it runs. No test
// can force the goroutine to finish before the next line of Go runs (with
// one thread it never does), so this test reads limiter.go instead, as go
// vet's waitgroup check does for an Add inside the goroutine.
func TestLimiter_CountedBeforeItStarts(t *testing.T) {
	katatest.Watchdog(t, 6)
	inside, err := katatest.AddInsideGo(".")
	if err != nil {
		t.Fatal(err)
	}
	after, err := addAfterGo(".")
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		places []string
		means  string
	}{
		{inside, "wg.Add inside the goroutine it counts: Wait can see a zero counter and return before the goroutine has started"},
		{after, "wg.Add after the go statement: the goroutine can finish and call Done before Add runs, a negative counter (a panic), or Wait returning early"},
	} {
		for _, place := range c.places {
			if strings.HasPrefix(place, "limiter.go:") {
				t.Error(katatest.Failure{
					Want:  "every function counted before its goroutine starts: l.wg.Go(f), or l.wg.Add(1) before the go statement",
					Got:   "an Add at " + place,
					Means: c.means,
					Hint:  6,
				})
			}
		}
	}
}

// addAfterGo lists the places ("file:line") in the non-test Go files of dir
// where a sync.WaitGroup's Add is called after a go statement in the same
// block. A WaitGroup is a variable or struct field declared with the type
// sync.WaitGroup (or a pointer to one); the Add's receiver is recognized by
// that name.
func addAfterGo(dir string) ([]string, error) {
	fset := token.NewFileSet()
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil, err
	}
	var files []*ast.File
	for _, e := range entries {
		if name := e.Name(); !e.IsDir() && strings.HasSuffix(name, ".go") && !strings.HasSuffix(name, "_test.go") {
			f, err := parser.ParseFile(fset, filepath.Join(dir, name), nil, 0)
			if err != nil {
				return nil, err
			}
			files = append(files, f)
		}
	}
	isWaitGroup := func(e ast.Expr) bool {
		if star, ok := e.(*ast.StarExpr); ok {
			e = star.X
		}
		sel, ok := e.(*ast.SelectorExpr)
		if !ok {
			return false
		}
		pkg, ok := sel.X.(*ast.Ident)
		return ok && pkg.Name == "sync" && sel.Sel.Name == "WaitGroup"
	}
	wgNames := map[string]bool{}
	var places []string
	for _, f := range files {
		ast.Inspect(f, func(n ast.Node) bool {
			switch n := n.(type) {
			case *ast.Field:
				if isWaitGroup(n.Type) {
					for _, name := range n.Names {
						wgNames[name.Name] = true
					}
				}
			case *ast.ValueSpec:
				if n.Type != nil && isWaitGroup(n.Type) {
					for _, name := range n.Names {
						wgNames[name.Name] = true
					}
				}
			}
			return true
		})
	}
	for _, f := range files {
		ast.Inspect(f, func(n ast.Node) bool {
			block, ok := n.(*ast.BlockStmt)
			if !ok {
				return true
			}
			started := false
			for _, stmt := range block.List {
				if _, ok := stmt.(*ast.GoStmt); ok {
					started = true
					continue
				}
				if !started {
					continue
				}
				ast.Inspect(stmt, func(n ast.Node) bool {
					if _, ok := n.(*ast.FuncLit); ok {
						return false // another function's code
					}
					call, ok := n.(*ast.CallExpr)
					if !ok {
						return true
					}
					sel, ok := call.Fun.(*ast.SelectorExpr)
					if !ok || sel.Sel.Name != "Add" {
						return true
					}
					recv := sel.X
					if inner, ok := recv.(*ast.SelectorExpr); ok {
						recv = inner.Sel
					}
					if id, ok := recv.(*ast.Ident); ok && wgNames[id.Name] {
						pos := fset.Position(call.Pos())
						places = append(places, fmt.Sprintf("%s:%d", filepath.Base(pos.Filename), pos.Line))
					}
					return true
				})
			}
			return true
		})
	}
	slices.Sort(places)
	return places, nil
}
