package verify

import (
	"context"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/gokatas/concurrency/tools/internal/catalog"
	"github.com/gokatas/concurrency/tools/internal/pristine"
)

// courseRoot is the repository root, three directories up.
var courseRoot, _ = filepath.Abs(filepath.Join("..", "..", ".."))

// TestCourse is the course verification: for every lesson on disk, the
// pristine starter fails, the solution passes under stress, every known
// mistake is caught, and the lesson has all its parts. It is the test that
// the README's test command and CI run; `go run ./tools/kata verify` prints
// the same checks as a table. go test -short skips it.
func TestCourse(t *testing.T) {
	if testing.Short() {
		t.Skip("the course verification runs every lesson; skipped with -short")
	}
	c, err := catalog.Load(courseRoot)
	require.NoError(t, err)
	sums, err := pristine.Load(courseRoot)
	require.NoError(t, err)
	require.NotEmpty(t, c.Available())
	for _, l := range c.Available() {
		t.Run(l.Dir, func(t *testing.T) {
			t.Parallel()
			for _, check := range Lesson(context.Background(), Options{Course: c, Sums: sums}, l) {
				switch {
				case check.Skipped:
					t.Logf("%s: skipped: %s", check.Name, check.Detail)
				case check.OK:
					t.Logf("%s: ok: %s", check.Name, check.Detail)
				default:
					t.Errorf("%s: %s", check.Name, check.Detail)
				}
			}
		})
	}
}

// TestPristineRecordIsCurrent checks that lessons/pristine.sum records the
// lesson files exactly as they are, so that a change to a lesson cannot be
// published without its new hashes. In a learner's clone the lesson files
// are meant to differ, so it runs only where CI or KATA_STRICT is set.
func TestPristineRecordIsCurrent(t *testing.T) {
	if os.Getenv("CI") == "" && os.Getenv("KATA_STRICT") == "" {
		t.Skip("compares lessons/ with lessons/pristine.sum only in CI (or with KATA_STRICT=1): a learner's lessons differ by design")
	}
	c, err := catalog.Load(courseRoot)
	require.NoError(t, err)
	recorded, err := pristine.Load(courseRoot)
	require.NoError(t, err)
	var dirs []string
	for _, l := range c.Available() {
		dirs = append(dirs, l.Dir)
	}
	now, err := pristine.Scan(courseRoot, dirs)
	require.NoError(t, err)
	assert.Equal(t, recorded, now, "lessons/pristine.sum is out of date: run `go run ./tools/kata pristine` and commit it")
}

// TestVet runs go vet over the lessons: a starter must be vet-clean. The
// solutions are vetted by the course verification, laid over their lesson
// ("solution vet"), because a solution without the lesson's contract files
// is not a package on its own.
func TestVet(t *testing.T) {
	if testing.Short() {
		t.Skip("skipped with -short")
	}
	out, err := runGo(courseRoot, "vet", "./lessons/...")
	assert.NoError(t, err, "go vet:\n%s", out)
}

// TestCourseMapIsCurrent checks that docs/course-map.md is what
// `go run ./tools/kata map --write` writes from lessons/course.json.
func TestCourseMapIsCurrent(t *testing.T) {
	c, err := catalog.Load(courseRoot)
	require.NoError(t, err)
	out, err := runGo(courseRoot, "run", "./tools/kata", "map")
	require.NoError(t, err, out)
	saved, err := os.ReadFile(filepath.Join(courseRoot, "docs", "course-map.md"))
	require.NoError(t, err)
	assert.Equal(t, out, string(saved), "docs/course-map.md is out of date: run `go run ./tools/kata map --write`")
	assert.NotEmpty(t, c.Lessons)
}

// TestCourseFileIsFormatted checks that lessons/course.json is in the form
// the course tool writes (catalog.Course.Format), so that `kata new`
// rewrites only the entry it adds.
func TestCourseFileIsFormatted(t *testing.T) {
	c, err := catalog.Load(courseRoot)
	require.NoError(t, err)
	saved, err := os.ReadFile(c.Path())
	require.NoError(t, err)
	assert.Equal(t, string(c.Format()), string(saved), "lessons/course.json is not in the tool's format: one lesson per line, fields in order dir, title, node, minutes, edit, contract, budget")
}
