package cpubound

import (
	"fmt"
	"runtime"
	"sync/atomic"
	"testing"

	"github.com/gokatas/concurrency/lessons/internal/katatest"
	"github.com/gokatas/concurrency/tools/evidence"
)

func TestMain(m *testing.M) { katatest.Main(m) }

// This file holds what the lesson's tests share: a fake score that records
// which element was scored, how often and on which goroutine, and that can
// hold the scoring of chosen elements until the test lets it go; and the
// benchmark that measures the speed no test can (time in the tests is fake,
// and fake time does not move while the processor works).
//
// The fake shares nothing between the goroutines that call it: every
// element has counters of its own, and the only channels are the gates the
// test closes. So nothing in the fake orders what two workers do, and -race
// sees any total the workers share without a lock, at any GOMAXPROCS.

// The elements the tests score are not their indexes: element i of a
// test's slice is base + stride*i, so that scoring an index instead of the
// element shows.
const (
	base   = 1000
	stride = 7
)

// elements returns n elements to score.
func elements(n int) []uint64 {
	xs := make([]uint64, n)
	for i := range xs {
		xs[i] = base + stride*uint64(i)
	}
	return xs
}

// value is what the fake scores an element: large numbers, so that the sum
// wraps around, as Sum's uint64 arithmetic allows.
func value(x uint64) uint64 { return x*0x9E3779B97F4A7C15 ^ x>>3 }

// want is the sum the tests expect over elements(n), added up here, one
// element after another.
func want(xs []uint64) uint64 {
	var s uint64
	for _, x := range xs {
		s += value(x)
	}
	return s
}

// A fakeScore is the Score the tests hand to Sum and Report.
type fakeScore struct {
	n       int
	visits  []atomic.Int32  // how often element i was scored
	started []atomic.Bool   // whether the score of element i began
	gids    []atomic.Uint64 // the goroutine that scored element i (with ids on)
	gates   []chan struct{} // if not nil, the score of element i waits until gates[i] is closed
	opened  []bool          // gates closed (by the test goroutine only)
	ids     bool            // record goroutine ids (slow: it reads the stack)
	stray   atomic.Uint64   // an element scored that is not in the slice, plus one
}

func newScore(t *testing.T, n int) *fakeScore {
	f := &fakeScore{n: n, visits: make([]atomic.Int32, n), started: make([]atomic.Bool, n), gids: make([]atomic.Uint64, n)}
	t.Cleanup(f.openAll) // whatever happened, let every score end
	return f
}

// gated makes the score of every element wait until the test opens its gate.
func (f *fakeScore) gated() *fakeScore {
	f.gates = make([]chan struct{}, f.n)
	f.opened = make([]bool, f.n)
	for i := range f.gates {
		f.gates[i] = make(chan struct{})
	}
	return f
}

// gatedAt makes the score of the elements at the given indexes wait for
// one gate, which the test opens with open of any of them.
func (f *fakeScore) gatedAt(idx ...int) *fakeScore {
	f.gates = make([]chan struct{}, f.n)
	f.opened = make([]bool, f.n)
	gate := make(chan struct{})
	for _, i := range idx {
		f.gates[i] = gate
	}
	return f
}

// withIDs makes the fake record the goroutine that scores each element.
func (f *fakeScore) withIDs() *fakeScore {
	f.ids = true
	return f
}

// open lets the scores of the elements in [lo, hi) go on.
func (f *fakeScore) open(lo, hi int) {
	for i := lo; i < hi; i++ {
		if f.gates[i] != nil && !f.opened[i] {
			f.opened[i] = true
			close(f.gates[i])
			for j := range f.gates { // an index of a shared gate (gatedAt): mark them all
				if f.gates[j] == f.gates[i] {
					f.opened[j] = true
				}
			}
		}
	}
}

func (f *fakeScore) openAll() {
	if f.gates != nil {
		f.open(0, f.n)
	}
}

func (f *fakeScore) score(x uint64) uint64 {
	i := int((x - base) / stride)
	if x < base || (x-base)%stride != 0 || i >= f.n {
		f.stray.CompareAndSwap(0, x+1)
		return 0
	}
	f.started[i].Store(true)
	if f.ids {
		f.gids[i].Store(goid())
	}
	if f.gates != nil && f.gates[i] != nil {
		<-f.gates[i]
	}
	f.visits[i].Add(1)
	return value(x)
}

// startedNow returns the indexes of the elements whose score has begun.
func (f *fakeScore) startedNow() []int {
	var idx []int
	for i := range f.started {
		if f.started[i].Load() {
			idx = append(idx, i)
		}
	}
	return idx
}

// calls returns how many scores ended.
func (f *fakeScore) calls() int {
	c := 0
	for i := range f.visits {
		c += int(f.visits[i].Load())
	}
	return c
}

// goroutines returns the distinct goroutines that scored elements (with ids
// on), and the elements each scored.
func (f *fakeScore) goroutines() map[uint64][]int {
	by := map[uint64][]int{}
	for i := range f.gids {
		if id := f.gids[i].Load(); id != 0 {
			by[id] = append(by[id], i)
		}
	}
	return by
}

// checkOnce fails the test unless every element was scored exactly once,
// and nothing else was. what names the call ("Sum(xs, 4, score)") and hint
// the hint to read.
func (f *fakeScore) checkOnce(t *testing.T, what string, hint int) {
	t.Helper()
	if s := f.stray.Load(); s != 0 {
		t.Fatal(katatest.Failure{
			Want:  fmt.Sprintf("%s scores the elements of xs, each once", what),
			Got:   fmt.Sprintf("score(%d), and %d is not an element of xs", s-1, s-1),
			Means: "something that is not an element was scored: an index instead of xs[i], or an index past the chunk",
			Hint:  hint,
		})
	}
	for i := range f.visits {
		switch v := f.visits[i].Load(); {
		case v == 0:
			t.Fatal(katatest.Failure{
				Want:  fmt.Sprintf("%s scores each of the %d elements exactly once", what, f.n),
				Got:   fmt.Sprintf("element %d (of indexes 0 to %d) was never scored", i, f.n-1),
				Means: "lost elements: wrong chunk boundaries. Some indexes fall between two chunks, or after the last one (the remainder of n/k)",
				Hint:  hint,
			})
		case v > 1:
			t.Fatal(katatest.Failure{
				Want:  fmt.Sprintf("%s scores each of the %d elements exactly once", what, f.n),
				Got:   fmt.Sprintf("element %d (of indexes 0 to %d) was scored %s", i, f.n-1, katatest.Times(v)),
				Means: "doubled elements: wrong chunk boundaries. Two chunks overlap: one ends after the next one begins",
				Hint:  hint,
			})
		}
	}
}

// goid returns the id of the calling goroutine.
func goid() uint64 {
	buf := make([]byte, 64)
	return uint64(evidence.CurrentID(string(buf[:runtime.Stack(buf, false)])))
}

// procs is GOMAXPROCS, as the test runs: what a workers below 1 means.
func procs() int { return runtime.GOMAXPROCS(0) }

// An outcome is what the code under test returned.
type outcome struct {
	sum uint64
	g   uint64 // the goroutine that called it
}

// inBackground calls f in a goroutine of its own and returns a channel that
// receives its result.
func inBackground(f func() uint64) <-chan outcome {
	out := make(chan outcome, 1)
	go func() {
		g := goid()
		out <- outcome{sum: f(), g: g}
	}()
	return out
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

// benchN is how many payments the benchmarks score: about 10ms of work for
// one processor.
const benchN = 100_000

var sink uint64

// BenchmarkSum measures Sum on benchN payments scored with Risk, on
// GOMAXPROCS goroutines. No test can measure this: time in the tests is
// fake. Run it at several GOMAXPROCS and compare the ns/op:
//
//	go test -run='^$' -bench=. -cpu=1,2,4 ./lessons/16_cpu_bound/
//
// On a machine with two idle cores, -cpu=2 should take a little more than
// half the time of -cpu=1; beyond the number of cores there is nothing
// more to gain.
func BenchmarkSum(b *testing.B) {
	xs := elements(benchN)
	var w uint64
	for _, x := range xs {
		w += Risk(x)
	}
	for b.Loop() {
		sink = Sum(xs, 0, Risk)
	}
	if sink != w {
		b.Fatalf("Sum returned %d, want %d", sink, w)
	}
}

// BenchmarkSequential is the same work on one goroutine, a plain loop: the
// baseline that BenchmarkSum is compared with.
func BenchmarkSequential(b *testing.B) {
	xs := elements(benchN)
	for b.Loop() {
		var s uint64
		for _, x := range xs {
			s += Risk(x)
		}
		sink = s
	}
}

// goroutineCount returns how many goroutines exist now.
func goroutineCount() int { return runtime.NumGoroutine() }
