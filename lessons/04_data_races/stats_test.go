package dataraces

import (
	"fmt"
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
