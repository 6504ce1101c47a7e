package lostupdate

import (
	"errors"
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"go/types"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/gokatas/concurrency/lessons/internal/katatest"
	"github.com/gokatas/concurrency/tools/evidence"
)

func TestMain(m *testing.M) { katatest.Main(m) }

// fakeStore is an in-memory Store that records every call. Each method is
// atomic on its own, as in a database; nothing holds between two calls.
//
// The hooks let a test stop a caller at the moment that matters. They are
// set before the store is used and run outside the store's lock, so a caller
// waiting in a hook never blocks the store for anyone else.
type fakeStore struct {
	afterRead   func() // if set, runs at the end of Get, after the read
	beforeWrite func() // if set, runs at the start of Put and CompareAndSet
	afterAdd    func() // if set, runs at the end of Add, after the update
	afterWrite  func() // if set, runs at the end of a Put or a successful CompareAndSet

	mu       sync.Mutex // protects values, versions, calls and log
	values   map[string]int
	versions map[string]int64
	calls    map[string]int // by method name, and "CompareAndSet failed"
	log      []string       // every call, in the order the store saw them
}

func newStore() *fakeStore {
	return &fakeStore{values: map[string]int{}, versions: map[string]int64{}, calls: map[string]int{}}
}

// set gives key a starting value without recording a call.
func (s *fakeStore) set(key string, value int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.values[key] = value
	s.versions[key]++
}

func (s *fakeStore) Get(key string) (int, int64) {
	s.mu.Lock()
	s.calls["Get"]++
	value, version := s.values[key], s.versions[key]
	s.log = append(s.log, fmt.Sprintf("Get → %d (version %d)", value, version))
	s.mu.Unlock()
	if s.afterRead != nil {
		s.afterRead()
	}
	return value, version
}

func (s *fakeStore) Put(key string, value int) {
	if s.beforeWrite != nil {
		s.beforeWrite()
	}
	s.mu.Lock()
	s.calls["Put"]++
	s.values[key] = value
	s.versions[key]++
	s.log = append(s.log, fmt.Sprintf("Put %d", value))
	s.mu.Unlock()
	if s.afterWrite != nil {
		s.afterWrite()
	}
}

func (s *fakeStore) Add(key string, delta int) int {
	s.mu.Lock()
	s.calls["Add"]++
	s.values[key] += delta
	s.versions[key]++
	n := s.values[key]
	s.log = append(s.log, fmt.Sprintf("Add %d → %d", delta, n))
	s.mu.Unlock()
	if s.afterAdd != nil {
		s.afterAdd()
	}
	return n
}

func (s *fakeStore) CompareAndSet(key string, version int64, value int) bool {
	if s.beforeWrite != nil {
		s.beforeWrite()
	}
	s.mu.Lock()
	s.calls["CompareAndSet"]++
	if s.versions[key] != version {
		s.calls["CompareAndSet failed"]++
		s.log = append(s.log, fmt.Sprintf("CompareAndSet %d if version %d → false (version is %d)", value, version, s.versions[key]))
		s.mu.Unlock()
		return false
	}
	s.values[key] = value
	s.versions[key]++
	s.log = append(s.log, fmt.Sprintf("CompareAndSet %d if version %d → true", value, version))
	s.mu.Unlock()
	if s.afterWrite != nil {
		s.afterWrite()
	}
	return true
}

func (s *fakeStore) value(key string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.values[key]
}

func (s *fakeStore) count(method string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.calls[method]
}

// history lists the calls the store saw, one per line.
func (s *fakeStore) history() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return "the store saw:\n  " + strings.Join(s.log, "\n  ")
}

// concurrently runs f(0) ... f(n-1) in n goroutines at once and waits for
// all of them.
func concurrently(n int, f func(i int)) {
	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() { f(i) })
	}
	wg.Wait()
}

// holdReads makes the first two readers wait for each other after they
// have read, so that both read before either goes on to write. If only one
// can get there, because the other waits for a lock the first one holds,
// the barrier opens after its patience.
func holdReads(s *fakeStore) *katatest.Barrier {
	b := katatest.NewBarrier(2)
	s.afterRead = func() { b.Wait() }
	return b
}

// holdWrites makes the first two writers (Put or CompareAndSet) wait for
// each other, so that each has read before either writes. If only one can
// get there, because the other waits for a lock the first one holds, the
// barrier opens after its patience.
func holdWrites(s *fakeStore) *katatest.Barrier {
	b := katatest.NewBarrier(2)
	s.beforeWrite = func() { b.Wait() }
	return b
}

// notOneToN describes the first way in which got is not a permutation of
// 1..n: a value returned twice, or one that no call returned. It returns ""
// if got is one.
func notOneToN(got []int, n int) string {
	sorted := slices.Clone(got)
	slices.Sort(sorted)
	for i, v := range sorted {
		switch {
		case i > 0 && v == sorted[i-1]:
			return fmt.Sprintf("two calls both returned %d", v)
		case v != i+1:
			return fmt.Sprintf("no call returned %d (the smallest value returned in its place is %d)", i+1, v)
		}
	}
	if len(sorted) != n {
		return fmt.Sprintf("%d values for %d calls", len(sorted), n)
	}
	return ""
}

// Task 1: the pessimistic lock.
func TestLockedCounter_TwoIncrementsFrom10Make12(t *testing.T) {
	katatest.Watchdog(t, 2)
	store := newStore()
	store.set("views", 10)
	reads := holdReads(store)   // both read before either goes on, if the lock allows it
	writes := holdWrites(store) // and the first writer waits for a second one
	c := &LockedCounter{Store: store}

	var got [2]int
	concurrently(2, func(i int) { got[i] = c.Increment("views") })

	final := store.value("views")
	report := func(means string) {
		t.Error(katatest.Failure{
			Want:  "two increments from 10 leave 12, and return 11 and 12",
			Got:   fmt.Sprintf("the counter is %d; Increment returned %d and %d\n%s", final, got[0], got[1], store.history()),
			Means: means,
			Hint:  2,
		})
	}
	switch {
	case store.count("Add") > 0:
		report("LockedCounter must read with Get and write with Put while it holds its lock; letting the store add is the fix of task 2")
	case final == 11 && reads.Filled() && writes.Filled():
		report("lost update: no lock covers the read and the write together. Both increments read 10, then both wrote 11 at the same moment")
	case final == 11 && reads.Filled():
		report("lost update with a lock around the write only: both read before either wrote. " +
			"The writes took turns, but each wrote 10 + 1 = 11 (a read lock around Get does not stop a second reader either). " +
			"Hold one lock from before Get until after Put")
	case final == 11:
		report("lost update: the lock was let go between the read and the write, so the second increment read 10 " +
			"while the first had not written 11 yet. Hold the lock from before Get until after Put")
	case final != 12:
		report("two increments must add exactly two")
	case min(got[0], got[1]) != 11 || max(got[0], got[1]) != 12:
		report("Increment must return the value it wrote: one call wrote 11, the other 12")
	}
}

// Task 1: the lock is held from the read until the write, with no gap.
//
// A lock let go between the read and the write (Lock, Get, Unlock; Lock,
// Put, Unlock) leaves a gap in which another increment can read. Whether
// one does is up to the lock: a sync.Mutex usually gives itself back to the
// goroutine that just unlocked it. The test makes the gap show every run,
// through the store alone. The first increment is held in its Get until two
// more increments are waiting for the LockedCounter's lock, and then a few
// milliseconds more. A sync.Mutex whose waiters have waited over a
// millisecond hands itself to them in turn (its starvation mode), and a
// channel used as a lock hands itself over in order too: so with a gap,
// the second waiter gets in while the first increment that it follows is
// between its read and its write, and both write the same value. With the
// lock held across the read and the write, the three increments take
// turns and leave 13.
func TestLockedCounter_NoGapBetweenReadAndWrite(t *testing.T) {
	katatest.Watchdog(t, 2)
	store := newStore()
	store.set("views", 10)
	var firstRead, firstWrite, waited atomic.Bool // hooks of different goroutines share them
	store.afterRead = func() {
		if firstRead.CompareAndSwap(false, true) {
			waited.Store(waitForWaiters(2))
		}
	}
	store.beforeWrite = func() {
		if firstWrite.CompareAndSwap(false, true) && waited.Load() {
			// With a gap, a waiter woken by the Unlock after Get now finds
			// the lock taken again, and switches the mutex to starvation mode.
			time.Sleep(3 * time.Millisecond)
		}
	}
	c := &LockedCounter{Store: store}

	var got [3]int
	concurrently(3, func(i int) { got[i] = c.Increment("views") })

	final := store.value("views")
	report := func(means string) {
		t.Error(katatest.Failure{
			Want:  "three increments from 10 leave 13, and return 11, 12 and 13",
			Got:   fmt.Sprintf("the counter is %d; Increment returned %v\n%s", final, got, store.history()),
			Means: means,
			Hint:  2,
		})
	}
	switch {
	case store.count("Add") > 0:
		report("LockedCounter must read with Get and write with Put while it holds its lock; letting the store add is the fix of task 2")
	case final < 13 && waited.Load():
		report("lost update: the lock was let go between the read and the write, so another increment read the old value " +
			"while the first had not written yet (the first was held in Get until two others waited for the lock; " +
			"when it unlocked after Get, a waiter got in). Hold the lock from before Get until after Put")
	case final < 13:
		report("lost update: two increments were between their read and their write at the same time. Hold one lock from before Get until after Put")
	case final != 13:
		report("three increments must add exactly three")
	case notOneToN([]int{got[0] - 10, got[1] - 10, got[2] - 10}, 3) != "":
		report("Increment must return the value it wrote: the calls wrote 11, 12 and 13")
	}
}

// waitForWaiters waits until n goroutines are blocked inside
// LockedCounter.Increment, outside the store (waiting for its lock), then a
// few milliseconds more, and reports true; or, if that does not happen within
// katatest.DefaultPatience, reports false.
func waitForWaiters(n int) bool {
	deadline := time.Now().Add(katatest.DefaultPatience)
	for time.Now().Before(deadline) {
		if waitingInIncrement() >= n {
			// A sync.Mutex waiter that has waited over 1ms puts the mutex
			// in starvation mode, in which Unlock hands it to the waiters in order.
			time.Sleep(5 * time.Millisecond)
			return true
		}
		time.Sleep(100 * time.Microsecond)
	}
	return false
}

// waitingInIncrement counts the goroutines that are blocked in
// LockedCounter.Increment and not in a call to the store.
func waitingInIncrement() int {
	buf := make([]byte, 1<<20)
	buf = buf[:runtime.Stack(buf, true)]
	n := 0
	for _, g := range evidence.ParseGoroutines(string(buf)) {
		inIncrement, inStore := false, false
		for _, f := range g.Frames {
			inIncrement = inIncrement || strings.Contains(f.Func, ".(*LockedCounter).Increment")
			inStore = inStore || strings.Contains(f.Func, ".(*fakeStore).")
		}
		state, _, _ := strings.Cut(g.State, ",")
		if inIncrement && !inStore && state != "running" && state != "runnable" && !strings.HasPrefix(state, "syscall") {
			n++
		}
	}
	return n
}

// Task 1: the lock exists before the first call.
//
// A lock made on first use (if c.mu == nil { c.mu = new(sync.Mutex) }, or a
// lock per key put into a map with no lock around it) lets two first callers
// both see "no lock yet" and each make one of its own: then each holds a
// different lock, both read 10 and both write 11. That happens before any
// call to the store, where no test can line the callers up, so the test
// reads locked.go instead: in a method of LockedCounter, nothing may be
// stored into the counter's fields before the first lock is taken.
func TestLockedCounter_NoLazyLock(t *testing.T) {
	katatest.Watchdog(t, 2)
	places, err := lazyLocks(".")
	if err != nil {
		t.Fatalf("cannot read the lesson's files: %v", err)
	}
	for _, p := range places {
		t.Error(katatest.Failure{
			Want: "every field of LockedCounter that Increment uses is ready before the first call, or set only while a lock is held",
			Got:  p + ": a field of the LockedCounter is written before any lock is taken",
			Means: "a lock made lazily, with no lock around it: two first callers made their own mutex (or their own map of " +
				"locks), each locked a different one, and both read and wrote at once, a lost update (and a data race on the " +
				"field). Make the lock a plain sync.Mutex field: its zero value is ready to use. For a lock per key, guard " +
				"the map of locks with a mutex of its own, look up and create under one Lock, or use sync.Map's LoadOrStore",
			Hint: 2,
		})
	}
}

// lazyLocks lists the places ("locked.go:25") in the non-test Go files of
// dir where a method of LockedCounter assigns to a field of its receiver
// (c.mu = ..., c.locks[key] = ...) before its first call of a Lock, RLock or
// Do method in the source, outside function literals.
func lazyLocks(dir string) ([]string, error) {
	files, err := filepath.Glob(filepath.Join(dir, "*.go"))
	if err != nil {
		return nil, err
	}
	fset := token.NewFileSet()
	var places []string
	for _, name := range files {
		if strings.HasSuffix(name, "_test.go") {
			continue
		}
		file, err := parser.ParseFile(fset, name, nil, 0)
		if err != nil {
			return nil, err
		}
		for _, decl := range file.Decls {
			fn, ok := decl.(*ast.FuncDecl)
			if !ok || fn.Body == nil || fn.Recv == nil || len(fn.Recv.List) != 1 || len(fn.Recv.List[0].Names) != 1 ||
				!strings.Contains(types.ExprString(fn.Recv.List[0].Type), "LockedCounter") {
				continue
			}
			recv := fn.Recv.List[0].Names[0].Name
			firstLock := token.Pos(-1)
			var writes []token.Pos
			ast.Inspect(fn.Body, func(n ast.Node) bool {
				switch n := n.(type) {
				case *ast.FuncLit:
					return false
				case *ast.CallExpr:
					if sel, ok := n.Fun.(*ast.SelectorExpr); ok && (sel.Sel.Name == "Lock" || sel.Sel.Name == "RLock" || sel.Sel.Name == "Do") {
						if firstLock < 0 || n.Pos() < firstLock {
							firstLock = n.Pos()
						}
					}
				case *ast.AssignStmt:
					for _, lhs := range n.Lhs {
						if rootedAt(lhs, recv) {
							writes = append(writes, n.Pos())
						}
					}
				}
				return true
			})
			for _, w := range writes {
				if firstLock < 0 || w < firstLock {
					pos := fset.Position(w)
					places = append(places, fmt.Sprintf("%s:%d", filepath.Base(pos.Filename), pos.Line))
				}
			}
		}
	}
	return places, nil
}

// rootedAt reports whether x is a field of recv, or an element of one:
// c.mu, c.locks[key], (*c).mu.
func rootedAt(x ast.Expr, recv string) bool {
	field := false
	for {
		switch e := x.(type) {
		case *ast.SelectorExpr:
			x, field = e.X, true
		case *ast.IndexExpr:
			x = e.X
		case *ast.ParenExpr:
			x = e.X
		case *ast.StarExpr:
			x = e.X
		case *ast.Ident:
			return field && e.Name == recv
		default:
			return false
		}
	}
}

// Task 1: the lock holds for many goroutines.
func TestLockedCounter_HundredIncrements(t *testing.T) {
	katatest.Watchdog(t, 2)
	store := newStore()
	holdReads(store) // the first two readers both read 0, unless the lock keeps one out
	c := &LockedCounter{Store: store}

	got := make([]int, 100)
	concurrently(100, func(i int) { got[i] = c.Increment("views") })

	if store.count("Add") > 0 {
		t.Fatal(katatest.Failure{
			Want:  "LockedCounter reads with Get and writes with Put",
			Got:   katatest.Count(store.count("Add"), "call") + " to Add",
			Means: "letting the store add is the fix of task 2; here the lock must make Get and Put one step",
			Hint:  2,
		})
	}
	if final := store.value("views"); final != 100 {
		t.Fatal(katatest.Failure{
			Want:  "100 concurrent increments of a new counter leave 100",
			Got:   fmt.Sprintf("%d: %s of the 100 lost", final, katatest.Count(100-final, "increment")),
			Means: "lost update: some increments read the counter while another was between its read and its write. The lock must cover both",
			Hint:  2,
		})
	}
	if wrong := notOneToN(got, 100); wrong != "" {
		t.Error(katatest.Failure{
			Want:  "the 100 calls return 1, 2, ... 100, each value once",
			Got:   wrong,
			Means: "Increment must return the value it wrote, and no two calls write the same value",
			Hint:  2,
		})
	}
}

// Task 2: the atomic operation in the store.
func TestIncrementAtomic_TwoIncrementsFrom10Make12(t *testing.T) {
	katatest.Watchdog(t, 3)
	store := newStore()
	store.set("views", 10)
	holdWrites(store)
	adds := katatest.NewBarrier(2)
	store.afterAdd = func() { adds.Wait() } // both have added before either goes on

	var got [2]int
	concurrently(2, func(i int) { got[i] = IncrementAtomic(store, "views") })

	final := store.value("views")
	others := store.count("Get") + store.count("Put") + store.count("CompareAndSet")
	report := func(means string) {
		t.Error(katatest.Failure{
			Want:  "two increments from 10 leave 12, and return 11 and 12, with one call to Add each",
			Got:   fmt.Sprintf("the counter is %d; IncrementAtomic returned %d and %d\n%s", final, got[0], got[1], store.history()),
			Means: means,
			Hint:  3,
		})
	}
	switch {
	case final == 11 && others > 0:
		report("lost update: a Get followed by a Put is still a read-modify-write, although each call is atomic on its own. " +
			"Both read 10 and both wrote 11. Let the store do the whole increment: call Add")
	case final != 12:
		report("two increments must add exactly two")
	case got[0] == got[1] && store.count("Get") > 0:
		report(fmt.Sprintf("both returned %d: the value was read back after Add, when the other increment had added too. "+
			"Use the value Add returns, as UPDATE ... RETURNING does", got[0]))
	case min(got[0], got[1]) != 11 || max(got[0], got[1]) != 12:
		report("IncrementAtomic must return the value its own Add wrote")
	case store.count("Add") != 2 || others > 0:
		report("IncrementAtomic makes exactly one store call, Add: the store does the read, the add and the write in one step, so no lock is needed")
	}
}

// Task 2: the atomic operation holds for many goroutines.
func TestIncrementAtomic_HundredIncrements(t *testing.T) {
	katatest.Watchdog(t, 3)
	store := newStore()
	holdWrites(store)

	got := make([]int, 100)
	concurrently(100, func(i int) { got[i] = IncrementAtomic(store, "views") })

	if final := store.value("views"); final != 100 {
		t.Fatal(katatest.Failure{
			Want:  "100 concurrent increments of a new counter leave 100",
			Got:   fmt.Sprintf("%d: %s of the 100 lost", final, katatest.Count(100-final, "increment")),
			Means: "lost update: a read and a write in two calls let another increment in between. Call Add",
			Hint:  3,
		})
	}
	if wrong := notOneToN(got, 100); wrong != "" {
		t.Error(katatest.Failure{
			Want:  "the 100 calls return 1, 2, ... 100, each value once",
			Got:   wrong,
			Means: "IncrementAtomic must return the value its own Add wrote, not one read later",
			Hint:  3,
		})
	}
	if adds, others := store.count("Add"), store.count("Get")+store.count("Put")+store.count("CompareAndSet"); adds != 100 || others != 0 {
		t.Error(katatest.Failure{
			Want:  "100 calls to Add and no other store call",
			Got:   fmt.Sprintf("%s to Add and %s", katatest.Count(adds, "call"), katatest.Count(others, "other")),
			Means: "IncrementAtomic makes exactly one store call, Add",
			Hint:  3,
		})
	}
}

// Task 3: optimistic locking with a version.
func TestIncrementOptimistic_TwoIncrementsFrom10Make12(t *testing.T) {
	katatest.Watchdog(t, 4)
	store := newStore()
	store.set("views", 10)
	holdWrites(store) // both read version 1 before either writes: one must lose
	// The winner waits after its write until the loser has written too, so
	// that a value read back after CompareAndSet is always the loser's.
	wrote := katatest.NewBarrier(2)
	store.afterWrite = func() { wrote.Wait() }

	var got [2]int
	var errs [2]error
	concurrently(2, func(i int) { got[i], errs[i] = IncrementOptimistic(store, "views") })

	final := store.value("views")
	gets, cas, failed := store.count("Get"), store.count("CompareAndSet"), store.count("CompareAndSet failed")
	conflict := errors.Is(errs[0], ErrConflict) || errors.Is(errs[1], ErrConflict)
	report := func(means string) {
		t.Error(katatest.Failure{
			Want:  "two increments from 10 leave 12 and return (11, nil) and (12, nil): the one that loses the race reads again and retries",
			Got:   fmt.Sprintf("the counter is %d; IncrementOptimistic returned (%d, %v) and (%d, %v)\n%s", final, got[0], errs[0], got[1], errs[1], store.history()),
			Means: means,
			Hint:  4,
		})
	}
	switch {
	case store.count("Put") > 0:
		report("lost update from a plain read-modify-write: IncrementOptimistic wrote with Put, and an unconditional write " +
			"overwrites whatever changed since the read. Write with CompareAndSet and the version you read")
	case store.count("Add") > 0:
		report("letting the store add is the fix of task 2; here write with CompareAndSet and the version you read")
	case cas == 0:
		report("IncrementOptimistic never called CompareAndSet")
	case conflict && cas == 2:
		report("version check without retry: the increment that lost gave up after one conflict, with an error the caller did not ask for. " +
			"Nothing was wrong: the other increment had simply written first. Read again and try again, up to MaxAttempts times")
	case conflict && gets < cas:
		report("retried with the old version without reading again: a stale version never matches, so every retry failed. " +
			"Each attempt must read the value and the version afresh")
	case conflict:
		report("gave up although the other increment had finished: after a conflict, read again and retry")
	case errs[0] != nil || errs[1] != nil:
		report("the only error IncrementOptimistic returns is ErrConflict, after MaxAttempts lost attempts")
	case final == 11 && cas == 2 && failed == 1:
		report("version check without retry: the losing update was silently dropped. CompareAndSet reported false, " +
			"and IncrementOptimistic returned nil anyway, so its caller believes it counted. Read again and try again")
	case final != 12:
		report("lost update: after a conflict, compute the new value from a fresh read, not from the first one")
	case got[0] == got[1] && gets > cas:
		report(fmt.Sprintf("both returned %d: the value was read back after CompareAndSet, when the other increment had written too. "+
			"Return the value your successful CompareAndSet wrote (n+1), not a later read", got[0]))
	case min(got[0], got[1]) != 11 || max(got[0], got[1]) != 12:
		report("IncrementOptimistic must return the value its successful CompareAndSet wrote")
	case failed == 0:
		report("no CompareAndSet ever lost, so the two increments never overlapped: something made them take turns. " +
			"IncrementOptimistic takes no lock; both may read at once, and the one that loses retries")
	case failed != 1 || cas != 3:
		report("expected exactly three calls to CompareAndSet: both tried, one lost, and it won on its second attempt")
	}
}

// Task 3: many optimistic increments, each counted exactly once.
func TestIncrementOptimistic_HundredIncrements(t *testing.T) {
	katatest.Watchdog(t, 4)
	store := newStore()
	holdWrites(store) // the first two writers both read version 0: at least one conflict

	got := make([]int, 100)
	errs := make([]error, 100)
	concurrently(100, func(i int) { got[i], errs[i] = IncrementOptimistic(store, "views") })

	var won []int
	conflicts := 0
	for i, err := range errs {
		switch {
		case err == nil:
			won = append(won, got[i])
		case errors.Is(err, ErrConflict):
			conflicts++
		default:
			t.Fatal(katatest.Failure{
				Want:  "nil, or ErrConflict after MaxAttempts lost attempts",
				Got:   fmt.Sprintf("error %v", err),
				Means: "the only error IncrementOptimistic returns is ErrConflict",
				Hint:  4,
			})
		}
	}
	if puts, adds := store.count("Put"), store.count("Add"); puts+adds > 0 {
		t.Fatal(katatest.Failure{
			Want:  "every write is a CompareAndSet",
			Got:   fmt.Sprintf("%s to Put, %d to Add", katatest.Count(puts, "call"), adds),
			Means: "an unconditional write overwrites whatever changed since the read: a lost update",
			Hint:  4,
		})
	}
	if final := store.value("views"); final != len(won) {
		t.Fatal(katatest.Failure{
			Want:  "every call that returned nil added exactly one, and no other call changed the counter",
			Got:   fmt.Sprintf("%s returned nil, %d returned ErrConflict, and the counter is %d", katatest.Count(len(won), "call"), conflicts, final),
			Means: "lost update: some increment reported success but its write was lost or dropped",
			Hint:  4,
		})
	}
	if wrong := notOneToN(won, len(won)); wrong != "" {
		t.Error(katatest.Failure{
			Want:  fmt.Sprintf("the %d successful calls return 1, 2, ... %d, each value once", len(won), len(won)),
			Got:   wrong,
			Means: "IncrementOptimistic must return the value its successful CompareAndSet wrote",
			Hint:  4,
		})
	}
	if cas, least := store.count("CompareAndSet"), len(won)+conflicts*MaxAttempts; cas < least {
		t.Error(katatest.Failure{
			Want:  fmt.Sprintf("at least %d calls to CompareAndSet: one per success, MaxAttempts (%d) per ErrConflict", least, MaxAttempts),
			Got:   fmt.Sprintf("%d, for %s and %s", cas, katatest.Count(len(won), "success/successes"), katatest.Count(conflicts, "conflict")),
			Means: "version check without retry: a call gave up with ErrConflict before it had tried MaxAttempts times",
			Hint:  5,
		})
	}
}

// conflictStore is a Store under so much contention that every write
// loses: each Get sees a version that someone else has written, and every
// CompareAndSet fails. After spinLimit reads or writes it ends the calling
// goroutine with runtime.Goexit, so that code that would retry forever is
// stopped and reported instead of spinning.
type conflictStore struct {
	mu                   sync.Mutex // protects the fields below
	version              int64
	gets, cas, puts, add int
}

const spinLimit = 100

func (s *conflictStore) Get(key string) (int, int64) {
	s.mu.Lock()
	s.gets++
	s.version++
	version, spinning := s.version, s.gets > spinLimit
	s.mu.Unlock()
	if spinning {
		runtime.Goexit()
	}
	return 10, version
}

func (s *conflictStore) CompareAndSet(key string, version int64, value int) bool {
	s.mu.Lock()
	s.cas++
	spinning := s.cas > spinLimit
	s.mu.Unlock()
	if spinning {
		runtime.Goexit()
	}
	return false
}

func (s *conflictStore) Put(key string, value int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.puts++
}

func (s *conflictStore) Add(key string, delta int) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.add++
	return 10 + delta
}

// Task 3: the retry is bounded.
func TestIncrementOptimistic_GivesUpAfterMaxAttempts(t *testing.T) {
	katatest.Bubble(t, 5, func(t *testing.T) {
		store := &conflictStore{}
		var (
			got      int
			err      error
			returned bool
		)
		done := make(chan struct{})
		go func() {
			defer close(done) // also when the store ends this goroutine
			got, err = IncrementOptimistic(store, "views")
			returned = true
		}()
		<-done

		store.mu.Lock()
		gets, cas, puts, adds := store.gets, store.cas, store.puts, store.add
		store.mu.Unlock()
		report := func(got, means string) {
			t.Error(katatest.Failure{
				Want:  fmt.Sprintf("when every CompareAndSet fails: exactly MaxAttempts (%d) attempts, each a Get and a CompareAndSet, then (0, ErrConflict)", MaxAttempts),
				Got:   got,
				Means: means,
				Hint:  5,
			})
		}
		counts := fmt.Sprintf("%s to Get, %d to CompareAndSet, %d to Put, %d to Add", katatest.Count(gets, "call"), cas, puts, adds)
		switch {
		case !returned:
			report(fmt.Sprintf("still retrying after %d conflicts, when the test stopped it (%s)", spinLimit, counts),
				"unbounded retry: under contention that never ends, the call never returns and burns a CPU. "+
					"Count the attempts and give up with ErrConflict after MaxAttempts")
		case puts+adds > 0 && cas == 0:
			report(counts, "IncrementOptimistic wrote without CompareAndSet: an unconditional write overwrites whatever changed "+
				"since the read, a lost update. Write with CompareAndSet and the version you read")
		case puts+adds > 0:
			report(counts, "after conflicts it wrote anyway, unconditionally: that overwrites the change it lost to, a lost update. "+
				"Give up with ErrConflict instead")
		case !errors.Is(err, ErrConflict):
			report(fmt.Sprintf("(%d, %v) after %s", got, err, counts),
				"a call that could not write must say so: return ErrConflict")
		case cas < MaxAttempts && cas == 1:
			report(counts, "version check without retry: it gave up after the first conflict")
		case cas != MaxAttempts:
			report(counts, fmt.Sprintf("it gave up after %s, not MaxAttempts: check the loop's bound", katatest.Count(cas, "attempt")))
		case gets == 1:
			report(counts, "retried with the old version without reading again: a stale version never matches. "+
				"Each attempt must read the value and the version afresh")
		case gets != MaxAttempts:
			report(counts, "each attempt reads the counter once, then tries one CompareAndSet")
		case got != 0:
			report(fmt.Sprintf("(%d, ErrConflict)", got), "with ErrConflict, the value returned is 0: nothing was written")
		}
	})
}
