package verify

import (
	"bytes"
	"context"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/gokatas/concurrency/tools/internal/catalog"
	"github.com/gokatas/concurrency/tools/internal/diagnose"
	"github.com/gokatas/concurrency/tools/internal/pristine"
)

// TestFixtureCourse verifies a one-lesson course in testdata/course whose
// known mistakes are one caught, one that the tests miss, one that does not
// compile by accident, one that the compiler rejects on purpose, one caught
// at GOMAXPROCS 1 only (so on half the runs), and one that panics, which
// ends the test process in its first run.
func TestFixtureCourse(t *testing.T) {
	t.Setenv("KATA_MISTAKE_RUNS", "") // the counts below are MistakeCount's, whatever CI sets
	c, sums := fixtureCourse(t)

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
	ok("solution vet")
	ok("mistake skips_first")
	assert.False(t, got["mistake uncaught"].OK)
	assert.Contains(t, got["mistake uncaught"].Detail, "the tests pass this known mistake")
	assert.False(t, got["mistake broken"].OK)
	assert.Contains(t, got["mistake broken"].Detail, "does not compile")
	ok("mistake typed_away") // "Compiles: no", and the compiler says so
	assert.False(t, got["mistake wrong_kind"].OK, "a test failure declared as a data race")
	assert.Contains(t, got["mistake wrong_kind"].Detail, `diagnoses "test failed" where the header says "// Kind: data race"`)
	assert.Contains(t, got["mistake skips_first"].Detail, "caught 10 of 10 runs")
	assert.False(t, got["mistake sometimes"].OK)
	assert.Contains(t, got["mistake sometimes"].Detail, "not caught: caught 5 of 10 runs")
	ok("mistake panics")
	assert.Contains(t, got["mistake panics"].Detail, "caught 10 of 10 runs (-race, -count=5 at -cpu=1,4; 10 processes)")
	assert.Contains(t, progress.String(), "01_sum")

	var table bytes.Buffer
	WriteTable(&table, checks)
	assert.Contains(t, table.String(), "\n8 passed, 4 failed\n")
}

// TestMistakesNotRun: with KATA_MISTAKE_RUNS=0 (CI's pass on the newer
// Go release) the starter and solution are still checked, and every known
// mistake, even one the tests miss, is listed as skipped with the reason.
func TestMistakesNotRun(t *testing.T) {
	t.Setenv("KATA_MISTAKE_RUNS", "0")
	c, sums := fixtureCourse(t)
	mistakes, err := c.Available()[0].Mistakes()
	require.NoError(t, err)
	checks := Course(context.Background(), Options{Course: c, Sums: sums}, c.Available())
	skipped, ran := 0, map[string]bool{}
	for _, ch := range checks {
		ran[ch.Name] = true
		if strings.HasPrefix(ch.Name, "mistake ") {
			assert.True(t, ch.Skipped, ch.Name)
			assert.Contains(t, ch.Detail, "KATA_MISTAKE_RUNS=0")
			skipped++
			continue
		}
		assert.True(t, ch.OK && !ch.Skipped, "%s: %s", ch.Name, ch.Detail)
	}
	assert.Equal(t, len(mistakes), skipped, "every mistake gets a verdict line")
	for _, name := range []string{"parts", "starter", "starter -race", "solution", "solution vet"} {
		assert.True(t, ran[name], "the check %q still runs", name)
	}
}

// fixtureCourse loads the one-lesson course in testdata/course.
func fixtureCourse(t *testing.T) (*catalog.Course, pristine.Sums) {
	t.Helper()
	root, err := filepath.Abs("testdata/course")
	require.NoError(t, err)
	c, err := catalog.Load(root)
	require.NoError(t, err)
	sums, err := pristine.Scan(root, []string{"01_sum"})
	require.NoError(t, err)
	return c, sums
}

// TestMistakeKindsAreTheToolsKinds: a "// Kind:" word is a kind the
// course tool can diagnose, spelled as it prints it.
func TestMistakeKindsAreTheToolsKinds(t *testing.T) {
	names := map[string]bool{}
	for k := diagnose.Passed; k <= diagnose.NoTests; k++ {
		names[k.String()] = true
	}
	for _, k := range catalog.MistakeKinds {
		assert.True(t, names[k], "%q is not a diagnose.Kind", k)
	}
}

// TestStarterThatPasses proves that a starter which already passes its
// tests is reported: a lesson must start red.
func TestStarterThatPasses(t *testing.T) {
	c, sums := fixtureCourse(t)
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
		case "mistake uncaught", "mistake broken", "mistake wrong_kind", "mistake sometimes": // the fixture's deliberate defects
		default:
			assert.True(t, check.OK, "%s: %s", check.Name, check.Detail)
		}
	}
}

// TestPartsChecksDeclaredFiles proves that the parts check holds a lesson
// to the files course.json declares: an undeclared non-test file, and a
// contract file copied into solutions/, are both reported.
func TestPartsChecksDeclaredFiles(t *testing.T) {
	root := t.TempDir()
	require.NoError(t, os.CopyFS(root, os.DirFS("testdata/course")))
	require.NoError(t, os.WriteFile(filepath.Join(root, "lessons", "01_sum", "extra.go"), []byte("package sum\n"), 0o644))
	require.NoError(t, os.WriteFile(filepath.Join(root, "solutions", "01_sum", "input.go"), []byte("package sum\n"), 0o644))
	c, err := catalog.Load(root)
	require.NoError(t, err)
	v := &lessonRun{opts: Options{Course: c}, lesson: c.Available()[0]}
	v.parts()
	require.Len(t, v.checks, 1)
	assert.False(t, v.checks[0].OK)
	assert.Contains(t, v.checks[0].Detail, `extra.go is not declared in lessons/course.json: add it to the lesson's "edit" or "contract" list`)
	assert.Contains(t, v.checks[0].Detail, "solution files [input.go sum.go] do not mirror the files to edit [sum.go]")
}

// TestSolutionVet proves that a solution that go vet rejects, laid over its
// lesson, fails the "solution vet" check.
func TestSolutionVet(t *testing.T) {
	root := t.TempDir()
	require.NoError(t, os.CopyFS(root, os.DirFS("testdata/course")))
	bad := "package sum\n\nimport \"fmt\"\n\n// Sum adds up xs.\nfunc Sum(xs []int) int {\n\t_ = fmt.Sprintf(\"%d\", \"x\")\n\treturn 6\n}\n"
	require.NoError(t, os.WriteFile(filepath.Join(root, "solutions", "01_sum", "sum.go"), []byte(bad), 0o644))
	c, err := catalog.Load(root)
	require.NoError(t, err)
	sums, err := pristine.Scan(root, []string{"01_sum"})
	require.NoError(t, err)
	v := &lessonRun{opts: Options{Course: c, Sums: sums}, lesson: c.Available()[0]}
	require.True(t, v.laidOut())
	v.vet(context.Background())
	last := v.checks[len(v.checks)-1]
	assert.Equal(t, "solution vet", last.Name)
	assert.False(t, last.OK)
	assert.Contains(t, last.Detail, "Sprintf format %d has arg \"x\" of wrong type string")
}
