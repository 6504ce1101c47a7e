package boundedconcurrency

import (
	"context"
	"fmt"
	"runtime"
	"slices"
	"sync"
	"testing"
	"testing/synctest"
	"time"

	"github.com/gokatas/concurrency/lessons/internal/katatest"
)

func TestMain(m *testing.M) { katatest.Main(m) }

// This file holds what every test of the lesson shares: a fake database
// that counts the calls running at once, and a way to run the code under
// test in a goroutine of its own and wait for it in fake time.

// patience is how long, in fake time, the tests' contexts last. Code that
// waits for a slot nobody will ever free returns only when its context
// ends, after this long, and the tests say so.
const patience = time.Hour

// A fakeDB is the database the calls hammer. Each call holds a weight (1
// for a plain query) while it runs. A call either waits for its gate to be
// opened by the test (gated) or sleeps its latency; either way it returns
// ctx.Err() at once when its context is done first, unless it is deaf: a
// deaf call ignores its context and returns only when it is done.
type fakeDB struct {
	start   time.Time
	gates   []chan struct{} // gated calls: call i returns when gates[i] is closed
	latency func(i int) time.Duration
	fail    map[int]error // calls that fail with this error when they are done
	panics  map[int]bool  // calls that panic when they are done (Limiter only)
	deaf    map[int]bool  // calls that ignore their context: they return only when done
	hangUp  time.Duration // how long a cancelled call takes to return

	mu          sync.Mutex
	load        int64 // the weight of the calls running now
	maxLoad     int64
	started     []int // the calls that started, in order
	running     map[int]bool
	cancelledAt map[int]time.Duration // when a call saw its context done
	opened      map[int]bool          // gates already closed
}

func newDB(t *testing.T) *fakeDB {
	db := &fakeDB{
		start:       time.Now(),
		latency:     func(int) time.Duration { return 100 * time.Millisecond },
		fail:        map[int]error{},
		panics:      map[int]bool{},
		deaf:        map[int]bool{},
		running:     map[int]bool{},
		cancelledAt: map[int]time.Duration{},
		opened:      map[int]bool{},
	}
	t.Cleanup(db.openAll) // whatever happened, let every call end
	return db
}

// gated makes the first n calls wait for the test to open their gates.
func (db *fakeDB) gated(n int) *fakeDB {
	db.gates = make([]chan struct{}, n)
	for i := range db.gates {
		db.gates[i] = make(chan struct{})
	}
	return db
}

// open lets calls is return, all at the same moment, and waits until the
// code under test has done whatever that lets it do.
func (db *fakeDB) open(is ...int) {
	db.mu.Lock()
	for _, i := range is {
		if !db.opened[i] {
			db.opened[i] = true
			close(db.gates[i])
		}
	}
	db.mu.Unlock()
	synctest.Wait()
}

// openAll opens every gate.
func (db *fakeDB) openAll() {
	for i := range db.gates {
		db.mu.Lock()
		if !db.opened[i] {
			db.opened[i] = true
			close(db.gates[i])
		}
		db.mu.Unlock()
	}
}

func (db *fakeDB) query(ctx context.Context, i int) error { return db.call(ctx, i, 1) }

func (db *fakeDB) call(ctx context.Context, i int, weight int64) error {
	db.mu.Lock()
	db.started = append(db.started, i)
	db.running[i] = true
	db.load += weight
	db.maxLoad = max(db.maxLoad, db.load)
	db.mu.Unlock()
	defer func() {
		db.mu.Lock()
		delete(db.running, i)
		db.load -= weight
		db.mu.Unlock()
	}()

	var ready <-chan struct{}
	if db.gates != nil {
		ready = db.gates[i]
	} else {
		wake := make(chan struct{})
		t := time.AfterFunc(db.latency(i), func() { close(wake) })
		defer t.Stop()
		ready = wake
	}
	done := ctx.Done()
	if db.deaf[i] {
		done = nil // a call that ignores its context
	}
	select {
	case <-ready:
	case <-done:
		db.mu.Lock()
		db.cancelledAt[i] = time.Since(db.start)
		db.mu.Unlock()
		time.Sleep(db.hangUp)
		return ctx.Err()
	}
	if db.panics[i] {
		panic(fmt.Sprintf("query %d: index out of range", i))
	}
	return db.fail[i]
}

// A snapshot is what the fake database saw up to now.
type snapshot struct {
	load, maxLoad int64
	started       []int
	cancelledAt   map[int]time.Duration
}

func (db *fakeDB) snap() snapshot {
	db.mu.Lock()
	defer db.mu.Unlock()
	return snapshot{load: db.load, maxLoad: db.maxLoad, started: slices.Clone(db.started), cancelledAt: maps(db.cancelledAt)}
}

func maps(m map[int]time.Duration) map[int]time.Duration {
	c := make(map[int]time.Duration, len(m))
	for k, v := range m {
		c[k] = v
	}
	return c
}

// An outcome is what the code under test returned, and when.
type outcome struct {
	err  error
	took time.Duration
}

// inBackground calls f in a goroutine of its own and returns a channel that
// receives its outcome.
func inBackground(f func() error) <-chan outcome {
	out := make(chan outcome, 1)
	start := time.Now()
	go func() {
		err := f()
		out <- outcome{err: err, took: time.Since(start)}
	}()
	return out
}

// await waits for the outcome, longer than any context of the tests lasts,
// and ends the test if it never comes.
func await(t *testing.T, name string, out <-chan outcome, hint int) outcome {
	t.Helper()
	select {
	case o := <-out:
		return o
	case <-time.After(2 * patience):
		t.Fatal(katatest.Failure{
			Want:  name + " returns",
			Got:   fmt.Sprintf("it had not returned %v (of fake time) later, although its context ended after %v", 2*patience, patience),
			Means: "it waits for something that never comes, and does not give up when its context is done",
			Hint:  hint,
		})
	}
	return outcome{}
}

// returned reports whether the outcome is there, without waiting.
func returned(out <-chan outcome) (outcome, bool) {
	select {
	case o := <-out:
		return o, true
	default:
		return outcome{}, false
	}
}

// testContext is the context the tests give the code: it ends after
// patience, so that code waiting for a leaked slot returns.
func testContext(t *testing.T) context.Context {
	ctx, cancel := context.WithTimeout(t.Context(), patience)
	t.Cleanup(cancel)
	return ctx
}

// goroutines returns how many goroutines exist now.
func goroutines() int { return runtime.NumGoroutine() }
