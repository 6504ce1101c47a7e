package dataraces

import (
	"fmt"
	"reflect"
	"runtime"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/gokatas/concurrency/lessons/internal/katatest"
)

const statsRace = "data race on the stats map: Record writes the map while other goroutines read or write it. " +
	"A Go map is not safe for concurrent use: guard every access to it, in Record, Get and Snapshot, " +
	"with one sync.Mutex."

const snapshotRace = "data race on the stats map after Unlock: the map was read outside the lock while Record " +
	"wrote it. Either Snapshot handed out its own map and the caller read it, or Snapshot copied the map " +
	"after Unlock. Make the copy while holding the lock, and return the copy."

// Task 2: Record counts views per page; Get reads them.
func TestStats_RecordAndGet(t *testing.T) {
	katatest.Watchdog(t, 3)
	s := NewStats()
	require.NotNil(t, s, katatest.Means("NewStats returns Stats ready to use", 3))
	assert.Equal(t, int64(0), s.Get("/home"), katatest.Means("a page never recorded has 0 views", 3))
	s.Record("/home")
	s.Record("/home")
	s.Record("/pricing")
	assert.Equal(t, int64(2), s.Get("/home"), katatest.Means("two Records of /home are two views", 3))
	assert.Equal(t, int64(1), s.Get("/pricing"), katatest.Means("each page has a count of its own", 3))
	assert.Equal(t, int64(0), s.Get("/blog"), katatest.Means("a page never recorded has 0 views", 3))
}

// Task 2: goroutines record views of the same pages at once.
func TestStats_ConcurrentRecords(t *testing.T) {
	isolate(t, 3, statsRace, func(t *testing.T) {
		const goroutines, each = 8, 500
		pages := []string{"/home", "/pricing", "/blog", "/docs"}
		s := NewStats()
		hammer(goroutines, func(g int) {
			for i := range each * len(pages) {
				// Each goroutine starts at a different page, so that they
				// also write different keys at the same moment.
				s.Record(pages[(g+i)%len(pages)])
			}
		})
		for _, page := range pages {
			if !checkCount(t, fmt.Sprintf("Get(%q)", page), goroutines*each, s.Get(page), 3) {
				break
			}
		}
	})
}

// Task 2: Get may be called while Record runs.
func TestStats_GetWhileRecording(t *testing.T) {
	isolate(t, 3, statsRace, func(t *testing.T) {
		s := NewStats()
		var last int64
		var backwards string
		writes := interleave(50, func() func() {
			v := s.Get("/home")
			if v < last && backwards == "" {
				backwards = fmt.Sprintf("Get returned %d after it had returned %d", v, last)
			}
			last = v
			return nil
		}, func(i int) {
			s.Record("/home")
			s.Record(fmt.Sprintf("/post/%d", i%100)) // more pages: the map grows
		})
		if backwards != "" {
			t.Error(katatest.Failure{
				Want:  "Get never goes down while Record is called",
				Got:   backwards,
				Means: "Get read the map without the lock that Record holds",
				Hint:  3,
			})
		}
		checkCount(t, `Get("/home")`, writes, s.Get("/home"), 3)
	})
}

// Task 3: Snapshot returns a copy that belongs to the caller.
func TestStats_SnapshotIsACopy(t *testing.T) {
	katatest.Watchdog(t, 4)
	s := NewStats()
	empty := s.Snapshot()
	assert.NotNil(t, empty, katatest.Means("Snapshot never returns nil; with no views it returns an empty map", 4))
	assert.Empty(t, empty, katatest.Means("no views were recorded yet", 4))

	s.Record("/home")
	s.Record("/home")
	s.Record("/pricing")
	snap := s.Snapshot()
	require.Equal(t, map[string]int64{"/home": 2, "/pricing": 1}, snap,
		katatest.Means("Snapshot returns the views of every recorded page", 4))

	// Later views must not show up in a snapshot taken before them.
	s.Record("/home")
	s.Record("/blog")
	if snap["/home"] != 2 || len(snap) != 2 {
		t.Error(katatest.Failure{
			Want:  `the snapshot still says {"/home": 2, "/pricing": 1} after two more Records`,
			Got:   fmt.Sprint(snap),
			Means: "Snapshot returned the internal map: the caller's map changes under its feet, and reading it races with Record",
			Hint:  4,
		})
	}

	// The caller's changes must not reach the Stats.
	mine := s.Snapshot()
	mine["/home"] = 1000
	delete(mine, "/pricing")
	if got := s.Get("/home"); got != 3 || s.Get("/pricing") != 1 {
		t.Error(katatest.Failure{
			Want:  `Get("/home") is still 3 and Get("/pricing") still 1 after the caller changed its snapshot`,
			Got:   fmt.Sprintf(`Get("/home") = %d, Get("/pricing") = %d`, got, s.Get("/pricing")),
			Means: "Snapshot returned the internal map: a caller's writes go straight into the Stats, outside the lock",
			Hint:  4,
		})
	}
	if again := s.Snapshot(); again["/home"] != 3 || again["/pricing"] != 1 {
		t.Error(katatest.Failure{
			Want:  `a new snapshot says "/home": 3, "/pricing": 1`,
			Got:   fmt.Sprint(again),
			Means: "Snapshot returned the same map twice: one caller's changes showed up in another's snapshot",
			Hint:  4,
		})
	}
}

// Task 3: a snapshot may be read while Record runs.
func TestStats_SnapshotWhileRecording(t *testing.T) {
	isolate(t, 4, snapshotRace, func(t *testing.T) {
		s := NewStats()
		s.Record("/home")
		var changed, missing string
		interleave(20, func() func() {
			snap := s.Snapshot()
			seen := make(map[string]int64, len(snap))
			for page, views := range snap { // the caller reads its snapshot
				seen[page] = views
			}
			return func() {
				if seen["/home"] < 1 && missing == "" {
					missing = fmt.Sprint(seen)
				}
				if len(snap) != len(seen) || snap["/home"] != seen["/home"] {
					changed = fmt.Sprintf("it had %d pages and %d views of /home; after two more Records, %d pages and %d views",
						len(seen), seen["/home"], len(snap), snap["/home"])
				}
			}
		}, func(i int) {
			s.Record("/home")
			s.Record(fmt.Sprintf("/post/%d", i%100)) // more pages: the map grows
		})
		if missing != "" {
			t.Error(katatest.Failure{
				Want:  `every snapshot has the views of "/home", recorded before the first snapshot was taken`,
				Got:   "a snapshot of " + missing,
				Means: "Snapshot does not return the views that were recorded",
				Hint:  4,
			})
		}
		if changed != "" {
			t.Error(katatest.Failure{
				Want:  "a snapshot does not change after Snapshot returned",
				Got:   changed,
				Means: "Snapshot returned the internal map: the caller reads it while Record writes it",
				Hint:  4,
			})
		}
	})
}

const newPageRace = "data race on the stats map while many goroutines record a page that is new."

// Task 2: many goroutines record the same new page at once.
//
// To make the first views of a page meet, the test holds every lock that
// Stats has (any sync.Mutex or sync.RWMutex field) while the goroutines
// call Record, waits until each of them is blocked on one, and then lets
// them all go at once. Code that looks the page up under RLock and adds it
// under Lock (check-then-act in two critical sections) then lets every
// goroutine see "no counter yet" before any of them creates one.
func TestStats_ConcurrentFirstRecords(t *testing.T) {
	isolate(t, 3, newPageRace, func(t *testing.T) {
		const goroutines, rounds = 8, 4
		s := NewStats()
		for round := range rounds {
			page := fmt.Sprintf("/new/%d", round)
			release := holdLocks(s)
			var done atomic.Int64
			var wg sync.WaitGroup
			start := katatest.NewBarrier(goroutines)
			for range goroutines {
				wg.Go(func() {
					defer done.Add(1)
					start.Wait()
					s.Record(page)
				})
			}
			waitBlockedInRecord(goroutines, &done)
			release()
			wg.Wait()
			if got := s.Get(page); got != goroutines {
				f := katatest.Failure{
					Want: fmt.Sprintf("Get(%q) is %d after %d goroutines each recorded it once, when it was new", page, goroutines, goroutines),
					Got:  fmt.Sprint(got),
					Hint: 3,
				}
				if got < goroutines {
					f.Means = "lost update on a new page: check-then-act in two critical sections. Record looked the page up " +
						"under one lock (say RLock) and created its count under another (Lock); in between, the other " +
						"goroutines also saw no count, and each created its own, replacing the others' views. " +
						"Look up and create under one Lock"
				} else {
					f.Means = "more views than were recorded: something counted twice"
				}
				t.Error(f)
				return
			}
		}
	})
}

// holdLocks locks every sync.Mutex and sync.RWMutex field of s (for
// writing) and returns the function that unlocks them all.
func holdLocks(s *Stats) (release func()) {
	v := reflect.ValueOf(s).Elem()
	var unlocks []func()
	for i := range v.NumField() {
		f := v.Field(i)
		if f.Kind() == reflect.Pointer {
			if f.IsNil() {
				continue
			}
			f = f.Elem()
		}
		if !f.CanAddr() {
			continue
		}
		switch p := f.Addr().UnsafePointer(); f.Type() {
		case reflect.TypeFor[sync.Mutex]():
			mu := (*sync.Mutex)(p)
			mu.Lock()
			unlocks = append(unlocks, mu.Unlock)
		case reflect.TypeFor[sync.RWMutex]():
			mu := (*sync.RWMutex)(p)
			mu.Lock()
			unlocks = append(unlocks, mu.Unlock)
		}
	}
	return func() {
		for _, u := range unlocks {
			u()
		}
	}
}

// waitBlockedInRecord waits until each of n goroutines has either returned
// (done counts them) or is blocked on a lock inside Stats.Record.
func waitBlockedInRecord(n int, done *atomic.Int64) {
	buf := make([]byte, 1<<20)
	for {
		d := done.Load()
		buf = buf[:runtime.Stack(buf[:cap(buf)], true)]
		blocked := 0
		for _, g := range strings.Split(string(buf), "\n\n") {
			header, _, _ := strings.Cut(g, "\n")
			if strings.Contains(g, "Stats).Record(") && (strings.Contains(header, "[sync.Mutex.Lock") ||
				strings.Contains(header, "[sync.RWMutex.RLock") || strings.Contains(header, "[sync.RWMutex.Lock")) {
				blocked++
			}
		}
		if int64(blocked)+d >= int64(n) {
			return
		}
		time.Sleep(time.Millisecond)
	}
}
