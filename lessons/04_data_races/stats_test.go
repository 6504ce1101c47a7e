package dataraces

import (
	"fmt"
	"runtime"
	"strings"
	"sync"
	"sync/atomic"
	"testing"

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

// Task 3: Record counts views per page; Get reads them.
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

// Task 3: goroutines record views of the same pages at once.
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

// Task 3: Get may be called while Record runs.
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

// Task 4: Snapshot returns a copy that belongs to the caller.
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

// Task 4: a snapshot may be read while Record runs.
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

// Task 3: many goroutines record the same new page at once.
//
// To make the first views of a page meet, whatever Stats is built on (a
// map and a lock, sync.Map, atomics), the page's name is megabytes long:
// every look-up and every store of it hashes the whole name, which takes a
// millisecond or so. Goroutines that run in parallel (the test runs them on
// at least four threads) and record a new page at once are then all inside
// their look-up at the same time. Code that looks the page up in one step
// and creates its count in another (check-then-act: RLock then Lock,
// sync.Map Load then Store) lets every one of them see "no count yet"
// before any creates one, so each creates its own, and the views recorded
// in the others are lost. A look-up and create in one step (one Lock,
// LoadOrStore) keeps them. Each round uses a new page.
func TestStats_ConcurrentFirstRecords(t *testing.T) {
	isolate(t, 3, newPageRace, func(t *testing.T) {
		defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(max(4, runtime.GOMAXPROCS(0))))
		const goroutines, rounds = 8, 6
		s := NewStats()
		for i := range 16 {
			// A small Go map finds a missing short key without hashing it;
			// with more pages, every look-up hashes.
			s.Record(fmt.Sprintf("/old/%d", i))
		}
		for round := range rounds {
			page := longPage(fmt.Sprintf("/new/%d/", round), 8<<20)
			hammer(goroutines, func(int) { s.Record(page) })
			if got := s.Get(page); got != goroutines {
				f := katatest.Failure{
					Want: fmt.Sprintf("Get(page) is %d after %d goroutines each recorded it once, when it was new (round %d, a page with a long name)",
						goroutines, goroutines, round+1),
					Got:  fmt.Sprint(got),
					Hint: 3,
				}
				switch {
				case got == 0:
					f.Means = "nothing was counted: Record does not store the view yet, or Get does not read what was stored"
				case got < goroutines:
					f.Means = "views lost on the first records of a new page: check-then-act in two critical sections. Record looked " +
						"the page up in one step (under RLock, or with sync.Map's Load) and created its count in another (under Lock, " +
						"or with Store); in between, the other goroutines also saw no count, and each created its own, replacing " +
						"the others' views. Look up and create in one step: under one Lock, or with LoadOrStore"
				default:
					f.Means = "more views than were recorded: something counted twice"
				}
				t.Error(f)
				return
			}
		}
	})
}

// longPage returns a page name that starts with prefix and is size bytes
// long. Every design of Stats hashes a page's name when it looks the page up
// or stores it, so with a name of megabytes, an operation on this page takes
// from a tenth of a millisecond to a few: long enough for goroutines that run
// in parallel to be inside Record or Snapshot at the same time, every run.
func longPage(prefix string, size int) string {
	return prefix + strings.Repeat("x", size-len(prefix))
}

// Task 4: a snapshot is of one instant, across pages.
//
// A writer records ten pages, "/chain/0" to "/chain/9", in that order, over
// and over, so at every instant each page of the chain has as many views as
// the next one or one more, and the first at most one more than the last.
// Snapshot must show the same. Three pages with megabyte-long names, recorded
// once before, make a Snapshot that copies the counts one by one pause for
// a millisecond or so between two of them (it hashes the long name into its
// copy), while the writer, on another thread, goes on recording: a count
// copied before that pause and one copied after it are from different
// instants. A Snapshot that holds the lock Record needs keeps the writer out
// for the whole copy.
func TestStats_SnapshotIsOfOneInstant(t *testing.T) {
	isolate(t, 4, snapshotRace, func(t *testing.T) {
		defer runtime.GOMAXPROCS(runtime.GOMAXPROCS(max(4, runtime.GOMAXPROCS(0))))
		const chain, snapshots = 10, 40
		s := NewStats()
		for i := range 3 {
			s.Record(longPage(fmt.Sprintf("/long/%d/", i), 8<<20))
		}
		pages := make([]string, chain)
		for i := range pages {
			pages[i] = fmt.Sprintf("/chain/%d", i)
		}
		var torn string
		var stop atomic.Bool
		started := katatest.NewBarrier(2)
		var wg sync.WaitGroup
		wg.Go(func() {
			started.Wait()
			for !stop.Load() {
				for _, page := range pages {
					s.Record(page)
				}
			}
		})
		wg.Go(func() {
			defer stop.Store(true)
			started.Wait()
			for range snapshots {
				snap := s.Snapshot()
				if torn = tornChain(snap, chain); torn != "" {
					return
				}
			}
		})
		wg.Wait()
		if torn != "" {
			t.Error(katatest.Failure{
				Want: `in every snapshot, "/chain/0" to "/chain/9" each have as many views as the next page or one more, ` +
					`and "/chain/0" at most one more than "/chain/9": the writer records them in that order, so that is true at every instant`,
				Got: torn,
				Means: "the snapshot is not from one instant: Snapshot read the counts one by one while Records went on, so it mixes " +
					"counts from different moments. Hold the lock that Record needs for writing (a Lock, not a shared RLock) " +
					"while you copy, so no Record changes a count in between",
				Hint: 4,
			})
		}
	})
}

// tornChain describes how snap breaks the order of the chain's counts
// (each at least the next, the first at most one more than the last), or
// returns "".
func tornChain(snap map[string]int64, chain int) string {
	count := func(i int) int64 { return snap[fmt.Sprintf("/chain/%d", i)] }
	for i := range chain - 1 {
		if count(i) < count(i+1) {
			return fmt.Sprintf(`a snapshot with "/chain/%d": %d and "/chain/%d": %d`, i, count(i), i+1, count(i+1))
		}
	}
	if first, last := count(0), count(chain-1); first > last+1 {
		return fmt.Sprintf(`a snapshot with "/chain/0": %d and "/chain/%d": %d`, first, chain-1, last)
	}
	return ""
}
