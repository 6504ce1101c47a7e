package verify

import (
	"bytes"
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/gokatas/concurrency/tools/internal/catalog"
	"github.com/gokatas/concurrency/tools/internal/pristine"
)

// TestFixtureCourse verifies a one-lesson course in testdata/course whose
// known mistakes are one caught, one that the tests miss, one that does not
// compile by accident, and one that the compiler rejects on purpose.
func TestFixtureCourse(t *testing.T) {
	root, err := filepath.Abs("testdata/course")
	require.NoError(t, err)
	c, err := catalog.Load(root)
	require.NoError(t, err)
	sums, err := pristine.Scan(root, []string{"01_sum"})
	require.NoError(t, err)

	var progress bytes.Buffer
	checks := Course(context.Background(), Options{Course: c, Sums: sums, Progress: &progress}, c.Available())
	got := map[string]Check{}
	for _, ch := range checks {
		got[ch.Name] = ch
	}
	ok := func(name string) {
		t.Helper()
		assert.True(t, got[name].OK, "%s: %s", name, got[name].Detail)
	}
	ok("parts")
	ok("starter")
	ok("starter -race")
	ok("solution")
	ok("mistake skips_first")
	assert.False(t, got["mistake uncaught"].OK)
	assert.Contains(t, got["mistake uncaught"].Detail, "the tests pass this known mistake")
	assert.False(t, got["mistake broken"].OK)
	assert.Contains(t, got["mistake broken"].Detail, "does not compile")
	ok("mistake typed_away") // "Compiles: no", and the compiler says so
	assert.Contains(t, progress.String(), "01_sum")

	var table bytes.Buffer
	WriteTable(&table, checks)
	assert.Contains(t, table.String(), "\n6 passed, 2 failed\n")
}

// TestStarterThatPasses proves that a starter which already passes its
// tests is reported: a lesson must start red.
func TestStarterThatPasses(t *testing.T) {
	root, err := filepath.Abs("testdata/course")
	require.NoError(t, err)
	c, err := catalog.Load(root)
	require.NoError(t, err)
	sums, err := pristine.Scan(root, []string{"01_sum"})
	require.NoError(t, err)
	l := c.Available()[0]
	v := &lessonRun{opts: Options{Course: c, Sums: sums}, lesson: l}
	v.parts()
	require.True(t, v.laidOut())
	v.pristine["sum.go"] = v.solutions["sum.go"] // pretend the course shipped the answer
	v.starter(context.Background(), false)
	last := v.checks[len(v.checks)-1]
	assert.False(t, last.OK)
	assert.Contains(t, last.Detail, "the pristine starter passes its tests")
}

// TestLearnersCloneStaysGreen verifies a course in which the learner has
// solved the lesson and committed over the starter: the verification judges
// the published starter, which git still has, not the learner's file.
func TestLearnersCloneStaysGreen(t *testing.T) {
	root := t.TempDir()
	require.NoError(t, os.CopyFS(root, os.DirFS("testdata/course")))
	sums, err := pristine.Scan(root, []string{"01_sum"})
	require.NoError(t, err)
	git := func(args ...string) {
		cmd := exec.Command("git", args...)
		cmd.Dir = root
		cmd.Env = append(os.Environ(), "GIT_AUTHOR_NAME=a", "GIT_AUTHOR_EMAIL=a@example.com",
			"GIT_COMMITTER_NAME=a", "GIT_COMMITTER_EMAIL=a@example.com")
		out, err := cmd.CombinedOutput()
		require.NoError(t, err, "%s", out)
	}
	git("init", "-q")
	git("add", ".")
	git("commit", "-qm", "course")
	solved, err := os.ReadFile(filepath.Join(root, "solutions", "01_sum", "sum.go"))
	require.NoError(t, err)
	require.NoError(t, os.WriteFile(filepath.Join(root, "lessons", "01_sum", "sum.go"), solved, 0o644))
	git("commit", "-qam", "solved it")

	c, err := catalog.Load(root)
	require.NoError(t, err)
	for _, check := range Lesson(context.Background(), Options{Course: c, Sums: sums}, c.Available()[0]) {
		switch check.Name {
		case "mistake uncaught", "mistake broken": // the fixture's deliberate defects
		default:
			assert.True(t, check.OK, "%s: %s", check.Name, check.Detail)
		}
	}
}
