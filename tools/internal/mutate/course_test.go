package mutate

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/gokatas/concurrency/tools/internal/catalog"
	"github.com/gokatas/concurrency/tools/internal/pristine"
	"github.com/gokatas/concurrency/tools/internal/verify"
)

// courseRoot is the repository root, three directories up.
var courseRoot, _ = filepath.Abs(filepath.Join("..", "..", ".."))

// unrecorded lists the lessons written before mutation records existed. A
// missing record is reported as a skip for them, so that CI stays green
// while their tests are hardened; every other lesson, and every lesson
// written from now on, fails without one. Take a lesson out of this list
// in the commit that adds its record.
var unrecorded = map[string]bool{
	"01_goroutines": true, "02_blocking_server": true, "03_event_loop": true, "04_data_races": true,
	"05_lost_update": true, "06_lost_update_sql": true, "07_once": true, "08_channels": true,
	"09_select_timeouts": true, "10_cancellation": true, "11_lock_pitfalls": true,
}

// SampleSize is how many mutants per lesson CI runs again to keep each
// record honest.
const SampleSize = 3

func course(t *testing.T) (*catalog.Course, pristine.Sums) {
	t.Helper()
	c, err := catalog.Load(courseRoot)
	require.NoError(t, err)
	sums, err := pristine.Load(courseRoot)
	require.NoError(t, err)
	return c, sums
}

// TestRecords checks every lesson's mutation record without running a
// test: it is current (its hash is that of the lesson's tests and solution,
// it lists the mutants the operators derive today), its counts add up, every
// equivalent mutant has a reason, and the score is at least 95%.
func TestRecords(t *testing.T) {
	c, sums := course(t)
	for _, l := range c.Available() {
		t.Run(l.Dir, func(t *testing.T) {
			if skip, err := checkLesson(c, sums, l); err != nil {
				t.Error(err)
			} else if skip != "" {
				t.Skip(skip)
			}
		})
	}
}

// checkLesson is TestRecords for one lesson: an error, or why it is
// skipped, or neither.
func checkLesson(c *catalog.Course, sums pristine.Sums, l *catalog.Lesson) (skip string, err error) {
	s, err := verify.NewScratch(verify.Options{Course: c, Sums: sums}, l)
	if err != nil {
		return "", err
	}
	_, err = CheckRecord(s, l)
	switch {
	case errors.Is(err, ErrNoRecord) && unrecorded[l.Dir]:
		return fmt.Sprintf("no %s yet (a lesson from before mutation records); run `go run ./tools/kata mutate %d`", RecordFile, l.Number), nil
	case errors.Is(err, ErrNoRecord):
		return "", fmt.Errorf("%s has no %s: every new lesson needs one; run `go run ./tools/kata mutate %d --write`, then kill the survivors with sharper tests or record them as equivalent with a reason", l.Dir, RecordFile, l.Number)
	}
	return "", err
}

// TestNewLessonNeedsRecord checks that a lesson not in the unrecorded list
// fails without a record: the fixture's lesson stands for a new one.
func TestNewLessonNeedsRecord(t *testing.T) {
	c, sums, l := fixture(t)
	skip, err := checkLesson(c, sums, l)
	assert.Empty(t, skip)
	require.Error(t, err)
	assert.Contains(t, err.Error(), "01_count has no testdata/mutation.json: every new lesson needs one")
}

// TestRecordSample runs a fixed sample of each recorded lesson's mutants
// again (SampleSize per lesson, chosen by the hash of their IDs) and checks
// that each gets the verdict its record says. go test -short skips it.
func TestRecordSample(t *testing.T) {
	if testing.Short() {
		t.Skip("runs the lessons' tests on sampled mutants; skipped with -short")
	}
	c, sums := course(t)
	for _, l := range c.Available() {
		rec, err := ReadRecord(l)
		if errors.Is(err, ErrNoRecord) {
			continue // TestRecords reports it
		}
		require.NoError(t, err)
		t.Run(l.Dir, func(t *testing.T) {
			recorded := map[string]string{}
			for _, m := range rec.Mutants {
				recorded[m.ID] = m.Verdict
			}
			res, err := Lesson(context.Background(), Options{Course: c, Sums: sums, Only: Sample(SampleSize)}, l)
			require.NoError(t, err)
			for _, o := range res.Mutants {
				if recorded[o.ID] != o.Verdict {
					t.Errorf("%s is %s (%s), its record says %q: run `go run ./tools/kata mutate %d --write`", o.ID, o.Verdict, o.Kind, recorded[o.ID], l.Number)
				}
			}
		})
	}
}
