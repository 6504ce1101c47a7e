package mutate

import (
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/gokatas/concurrency/tools/internal/catalog"
	"github.com/gokatas/concurrency/tools/internal/pristine"
	"github.com/gokatas/concurrency/tools/internal/verify"
)

// fixture copies testdata/course, a one-lesson course whose tests kill two
// of the solution's three mutants (a lock removed from Inc, which the race
// detector sees; a boundary, which TestBelow sees) and let one survive (the
// lock of Value, which the tests read only after every Inc returned).
func fixture(t *testing.T) (*catalog.Course, pristine.Sums, *catalog.Lesson) {
	t.Helper()
	root := t.TempDir()
	require.NoError(t, os.CopyFS(root, os.DirFS("testdata/course")))
	c, err := catalog.Load(root)
	require.NoError(t, err)
	sums, err := pristine.Scan(root, []string{"01_count"})
	require.NoError(t, err)
	return c, sums, c.Available()[0]
}

func TestFixtureLesson(t *testing.T) {
	if testing.Short() {
		t.Skip("runs the fixture's tests on every mutant; skipped with -short")
	}
	c, sums, l := fixture(t)
	res, err := Lesson(context.Background(), Options{Course: c, Sums: sums}, l)
	require.NoError(t, err)
	verdicts := map[string]string{}
	for _, o := range res.Mutants {
		verdicts[o.ID] = o.Verdict
	}
	assert.Equal(t, map[string]string{
		"remove-lock:count.go:(*Counter).Inc#0":   Killed,
		"remove-lock:count.go:(*Counter).Value#0": Survived,
		"boundary:count.go:(*Counter).Below#0":    Killed,
	}, verdicts)
	assert.Equal(t, 3, res.Total)
	assert.Equal(t, 2, res.Killed)
	assert.InDelta(t, 2.0/3, res.Score, 1e-9)

	// Recorded as it is, the score is too low.
	require.NoError(t, WriteRecord(l, res))
	s, err := verify.NewScratch(verify.Options{Course: c, Sums: sums}, l)
	require.NoError(t, err)
	_, err = CheckRecord(s, l)
	require.Error(t, err)
	assert.Contains(t, err.Error(), "mutation score 66.7%, below 95%")

	// A maintainer records the survivor as equivalent, with a reason; a run
	// keeps it, and the record passes.
	rec, err := ReadRecord(l)
	require.NoError(t, err)
	for i, m := range rec.Mutants {
		if m.Verdict == Survived {
			rec.Mutants[i].Verdict, rec.Mutants[i].Reason = Equivalent, "the fixture reads Value only after every Inc"
		}
	}
	data, err := json.Marshal(rec)
	require.NoError(t, err)
	require.NoError(t, os.WriteFile(RecordPath(l), data, 0o644))
	res, err = Lesson(context.Background(), Options{Course: c, Sums: sums}, l)
	require.NoError(t, err)
	assert.Equal(t, 1, res.Equivalent)
	assert.Equal(t, 0, res.Survived)
	require.NoError(t, WriteRecord(l, res))
	_, err = CheckRecord(s, l)
	assert.NoError(t, err)

	// A change to the tests makes the record stale.
	test := filepath.Join(l.Path(), "count_test.go")
	data, err = os.ReadFile(test)
	require.NoError(t, err)
	require.NoError(t, os.WriteFile(test, append(data, "\n// changed\n"...), 0o644))
	sums, err = pristine.Scan(c.Root, []string{"01_count"})
	require.NoError(t, err)
	s, err = verify.NewScratch(verify.Options{Course: c, Sums: sums}, l)
	require.NoError(t, err)
	_, err = CheckRecord(s, l)
	require.Error(t, err)
	assert.Contains(t, err.Error(), "the record is stale")
}

func TestCheckRecordWithoutRecord(t *testing.T) {
	c, sums, l := fixture(t)
	s, err := verify.NewScratch(verify.Options{Course: c, Sums: sums}, l)
	require.NoError(t, err)
	_, err = CheckRecord(s, l)
	assert.ErrorIs(t, err, ErrNoRecord)
}
