package goroutines

import (
	"fmt"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/gokatas/concurrency/lessons/internal/katatest"
)

func TestMain(m *testing.M) { katatest.Main(m) }

// slowFetch returns a fetch that takes d of (fake) time and returns name.
// calls counts how many times any fetch built with it has finished.
func slowFetch(name string, d time.Duration, finished *atomic.Int32) Fetch {
	return func() string {
		time.Sleep(d)
		finished.Add(1)
		return name
	}
}

// Task 1: run the fetches at the same time.
func TestAll_RunsFetchesAtTheSameTime(t *testing.T) {
	katatest.Bubble(t, 1, func(t *testing.T) {
		var finished atomic.Int32
		fetches := []Fetch{
			slowFetch("profile", 200*time.Millisecond, &finished),
			slowFetch("orders", 300*time.Millisecond, &finished),
			slowFetch("recommendations", 100*time.Millisecond, &finished),
		}
		took := katatest.Elapsed(func() { All(fetches) })

		switch {
		case took == 600*time.Millisecond:
			t.Error(katatest.Failure{
				Want:  "All takes 300ms, as long as the slowest fetch",
				Got:   "600ms, the sum of 200ms + 300ms + 100ms",
				Means: "the fetches ran one after another: each waited for the one before it",
				Hint:  1,
			})
		case took != 300*time.Millisecond:
			t.Error(katatest.Failure{
				Want:  "All takes 300ms, as long as the slowest fetch",
				Got:   took.String(),
				Means: "All did not wait for the fetches to run side by side and finish",
				Hint:  1,
			})
		}
	})
}

// Task 1: every fetch starts at once, however many there are. A pool of a
// few workers (4, or GOMAXPROCS as if fetches were CPU work) passes with 3
// fetches but not with 200, and a semaphore of a few hundred passes with 200
// but not with 5,000: the fetches wait, they do not compute. Fake time makes
// 5,000 fetches free.
func TestAll_StartsEveryFetchAtOnce(t *testing.T) {
	for _, n := range []int{200, 5000} {
		katatest.Bubble(t, 1, func(t *testing.T) {
			var finished atomic.Int32
			const each = 10 * time.Millisecond
			fetches := make([]Fetch, n)
			for i := range fetches {
				fetches[i] = slowFetch(fmt.Sprint("item ", i), each, &finished)
			}
			took := katatest.Elapsed(func() { All(fetches) })
			want := fmt.Sprintf("%d fetches of 10ms take 10ms in all", n)

			switch rounds := int(took / each); {
			case took == each:
			case took == time.Duration(n)*each:
				t.Error(katatest.Failure{
					Want:  want,
					Got:   fmt.Sprintf("%v, the sum of %d x 10ms", took, n),
					Means: "the fetches ran one after another: each waited for the one before it",
					Hint:  1,
				})
			case took > each && took%each == 0:
				t.Error(katatest.Failure{
					Want: want,
					Got: fmt.Sprintf("%v: %s of 10ms, as if at most %s ran at a time",
						took, katatest.Count(rounds, "round"), katatest.Count((n+rounds-1)/rounds, "fetch/fetches")),
					Means: "a bounded pool of workers: All must start every fetch at once. A fetch waits for the network, " +
						"it does not use a CPU, so limiting them to a few workers, to GOMAXPROCS or to a semaphore of any size " +
						"only makes the page slower",
					Hint: 1,
				})
			default:
				t.Error(katatest.Failure{
					Want:  want,
					Got:   took.String(),
					Means: "All did not wait for the fetches to run side by side and finish",
					Hint:  1,
				})
			}
		})
		if t.Failed() {
			return
		}
	}
}

// Task 1: a fetch that takes very long is waited for, however long it takes:
// All has no time limit of its own.
func TestAll_WaitsForVeryLongFetches(t *testing.T) {
	katatest.Bubble(t, 2, func(t *testing.T) {
		var finished atomic.Int32
		fetches := []Fetch{
			slowFetch("profile", 10*time.Millisecond, &finished),
			slowFetch("report", time.Minute, &finished),
			slowFetch("archive", 10*time.Minute, &finished),
		}
		var got []string
		took := katatest.Elapsed(func() { got = All(fetches) })
		if n := finished.Load(); took != 10*time.Minute || n != 3 {
			means := "All returned before every fetch finished: a give-up time, however long, drops the results of slower fetches"
			if took < 10*time.Millisecond {
				means = "All returned before any fetch had finished: it must start them and wait for every one"
			}
			t.Fatal(katatest.Failure{
				Want:  "All returns after 10m, when its slowest fetch (10m) has returned",
				Got:   fmt.Sprintf("it returned after %v, with %d of 3 fetches finished", took, n),
				Means: means,
				Hint:  2,
			})
		}
		assert.Equal(t, []string{"profile", "report", "archive"}, got,
			katatest.Means("result i must be what fetches[i] returned", 3))
	})
}

// Task 1: wait for every fetch.
func TestAll_WaitsForEveryFetch(t *testing.T) {
	katatest.Bubble(t, 2, func(t *testing.T) {
		var finished atomic.Int32
		fetches := make([]Fetch, 10)
		for i := range fetches {
			fetches[i] = slowFetch(fmt.Sprint("page ", i), time.Duration(i+1)*time.Millisecond, &finished)
		}
		got := All(fetches)
		if n := finished.Load(); n != int32(len(fetches)) {
			t.Fatal(katatest.Failure{
				Want:  "all 10 fetches have finished when All returns",
				Got:   fmt.Sprintf("%d of 10 had finished", n),
				Means: "All returned before every fetch finished: the caller would read results that are not there yet",
				Hint:  2,
			})
		}
		// Every fetch has returned; its result must be in place too.
		for i, r := range got {
			if want := fmt.Sprint("page ", i); r != want {
				t.Fatal(katatest.Failure{
					Want: fmt.Sprintf("result %d is %q when All returns", i, want),
					Got:  fmt.Sprintf("%q", r),
					Means: "a result stored after All returned: the goroutine said it was done (Done, or a send to a collector) " +
						"before the result was stored, or All did not wait for the goroutine that stores it",
					Hint: 2,
				})
			}
		}
	})
}

// Task 2: results by index, whichever finishes first.
func TestAll_KeepsInputOrder(t *testing.T) {
	katatest.Bubble(t, 3, func(t *testing.T) {
		var finished atomic.Int32
		// The last fetch finishes first, the first fetch last.
		fetches := []Fetch{
			slowFetch("profile", 300*time.Millisecond, &finished),
			slowFetch("orders", 200*time.Millisecond, &finished),
			slowFetch("recommendations", 100*time.Millisecond, &finished),
		}
		got := All(fetches)
		assert.Equal(t, []string{"profile", "orders", "recommendations"}, got,
			katatest.Means("results out of order, or missing: result i must be what fetches[i] returned. "+
				"Appending to a shared slice from goroutines puts results in finishing order, and is a data race", 3))
	})
}

// Task 2: many goroutines writing results must not race.
func TestAll_ManyFetches(t *testing.T) {
	katatest.Bubble(t, 3, func(t *testing.T) {
		var finished atomic.Int32
		const n = 200
		fetches := make([]Fetch, n)
		want := make([]string, n)
		for i := range fetches {
			want[i] = fmt.Sprint("item ", i)
			// Every fetch finishes at the same fake instant, so their
			// goroutines write results at the same time.
			fetches[i] = slowFetch(want[i], 10*time.Millisecond, &finished)
		}
		got := All(fetches)
		require.Len(t, got, n, katatest.Means("All must return one result per fetch", 3))
		for i := range want {
			if got[i] != want[i] {
				t.Fatal(katatest.Failure{
					Want:  fmt.Sprintf("result %d is %q", i, want[i]),
					Got:   fmt.Sprintf("%q", got[i]),
					Means: "results out of order, lost or missing: give each goroutine its own index to write",
					Hint:  3,
				})
			}
		}
	})
}

// Task 2: no fetches, no results.
func TestAll_NoFetches(t *testing.T) {
	katatest.Watchdog(t, 3)
	got := All(nil)
	assert.NotNil(t, got, katatest.Means("All(nil) returns an empty slice, not nil", 3))
	assert.Empty(t, got)
	got = All([]Fetch{})
	assert.NotNil(t, got, katatest.Means("All([]Fetch{}) returns an empty slice, not nil", 3))
	assert.Empty(t, got)
}

// Task 1: count a goroutine before starting it.
func TestAll_AddsBeforeStarting(t *testing.T) {
	katatest.Watchdog(t, 4)
	places, err := katatest.AddInsideGo(".")
	require.NoError(t, err)
	if len(places) > 0 {
		t.Error(katatest.Failure{
			Want: "wg.Add is called before the go statement, or wg.Go starts and counts the goroutine",
			Got:  fmt.Sprintf("wg.Add inside the goroutine at %v", places),
			Means: "wg.Add inside the goroutine: Wait can run before the goroutine does, see a zero counter, and return early. " +
				"A goroutine started as go f(...) counts as one too, and so does wg.Go called from inside it. (go vet reports the plainest form.)",
			Hint: 4,
		})
	}
}
