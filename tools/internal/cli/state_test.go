package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/gokatas/concurrency/tools/internal/progress"
)

// A second task for the fixture lesson, whose starter leaks a goroutine in
// a synctest bubble: the panic that follows ends the test binary before
// sum_test.go's TestSum runs, as lesson 10's leaking Export hides task 1.
var twoTasks = map[string]string{
	"lessons/01_sum/README.md": "# 01 · Sum\n\n## The idea\nAdd.\n## Coming from Node.js\nreduce.\n## Picture\n```mermaid\ngraph LR; a-->b\n```\n" +
		"## Tasks\n1. **Add them up.** Tests: `TestSum`.\n2. **Halve.** Tests: `TestHalf`.\n## Run the tests\ngo test\n## What the tests check\nThe sum.\n",
	"lessons/01_sum/half.go": "package sum\n\n// Half returns x/2, and forgets a goroutine.\nfunc Half(x int) int {\n\tch := make(chan int)\n\tgo func() { ch <- x / 2 }()\n\treturn x / 2\n}\n",
	"lessons/01_sum/half_test.go": "package sum\n\nimport (\n\t\"testing\"\n\t\"testing/synctest\"\n)\n\n" +
		"func TestHalf(t *testing.T) {\n\tsynctest.Test(t, func(t *testing.T) {\n\t\tif Half(4) != 2 {\n\t\t\tt.Error(\"Half(4) != 2\")\n\t\t}\n\t})\n}\n",
}

const halfFixed = "package sum\n\n// Half returns x/2.\nfunc Half(x int) int { return x / 2 }\n"

// TestCheckRunsAgainWhatACrashHid: the task-1 failure shows although the
// task-2 test ended the binary first, and the output says what was re-run.
func TestCheckRunsAgainWhatACrashHid(t *testing.T) {
	root := newCourseWith(t, twoTasks)
	code, out, _ := kata(t, "check", "1", "--no-race")
	assert.Equal(t, 1, code, out)
	assert.Contains(t, out, "means: an element was skipped", "TestSum ran, in a new process")
	assert.Contains(t, out, "re-run in a new process: TestSum (the test binary ended after TestHalf, before they ran)")
	assert.Contains(t, out, "tasks: 1 ✗  2 ✗")

	edit(t, root, "lessons/01_sum/sum.go", solvedSum)
	_, out, _ = kata(t, "check", "1", "--no-race")
	assert.Contains(t, out, "tasks: 1 ✓  2 ✗", "task 1 passed in the re-run")
	p, _, err := progress.Load(root)
	require.NoError(t, err)
	assert.Equal(t, []int{1}, p.Lessons["01_sum"].TasksPassed)
	assert.Empty(t, p.Lessons["01_sum"].TasksNotRun)

	edit(t, root, "lessons/01_sum/half.go", halfFixed)
	code, out, _ = kata(t, "check", "1", "--no-race")
	assert.Equal(t, 0, code, out)
	assert.NotContains(t, out, "re-run")
}

// TestTasksNotRun: a test that never ran, even run again, gives its task no
// verdict: "not run" in check, list, the progress file and the report.
func TestTasksNotRun(t *testing.T) {
	root := newCourseWith(t, twoTasks)
	old := RerunTimeout
	RerunTimeout = time.Nanosecond // no time to run anything again
	t.Cleanup(func() { RerunTimeout = old })
	edit(t, root, "lessons/01_sum/sum.go", solvedSum)

	code, out, _ := kata(t, "check", "1", "--no-race")
	assert.Equal(t, 1, code, out)
	assert.Contains(t, out, "tasks: 1 not run  2 ✗")
	assert.Contains(t, out, "not run: TestSum")
	assert.NotContains(t, out, "re-run:")

	p, _, err := progress.Load(root)
	require.NoError(t, err)
	assert.Equal(t, []int{1}, p.Lessons["01_sum"].TasksNotRun)
	assert.Empty(t, p.Lessons["01_sum"].TasksPassed)

	_, out, _ = kata(t, "list")
	assert.Contains(t, out, "tasks 0/2 ·✗")

	_, out, _ = kata(t, "report")
	var r Report
	require.NoError(t, json.Unmarshal([]byte(out), &r), out)
	assert.Equal(t, 1, r.Lessons[0].TasksNotRun)
	assert.Equal(t, 0, r.Lessons[0].TasksPassed)

	_, out, _ = kata(t, "check", "1", "--no-race", "--json")
	var got []checkJSON
	require.NoError(t, json.Unmarshal([]byte(out), &got), out)
	assert.Equal(t, []int{1}, got[0].TasksNotRun)
	assert.Equal(t, []string{"TestSum"}, got[0].NotRun)
}

// hintRef is the hint command a failing check prints.
func TestCheckNamesTheHintItsCommandShows(t *testing.T) {
	newCourseWith(t, map[string]string{
		"lessons/01_sum/sum_test.go": "package sum\n\nimport \"testing\"\n\nfunc TestSum(t *testing.T) {\n\tif got := Sum([]int{1, 2, 3}); got != 6 {\n\t\tt.Errorf(\"Sum = %d, want 6: read Hint 2 in hints.md\", got)\n\t}\n}\n",
	})
	_, out, _ := kata(t, "check", "1")
	assert.Contains(t, out, "go run ./tools/kata hint 1 2")
	_, out, _ = kata(t, "hint", "1", "2")
	assert.Contains(t, out, "hint 2 of 3: add", "the command shows the hint the message names")
}

func TestHintsReadAreASet(t *testing.T) {
	root := newCourse(t)
	_, out, _ := kata(t, "hint", "1", "3")
	assert.Contains(t, out, "hint 3 of 3: return")
	assert.Contains(t, out, "next hint: go run ./tools/kata hint 1 1")
	p, _, err := progress.Load(root)
	require.NoError(t, err)
	assert.Equal(t, []int{3}, p.Lessons["01_sum"].HintsRead, "hint 3 does not mark hints 1 and 2")

	_, out, _ = kata(t, "hint", "1")
	assert.Contains(t, out, "hint 1 of 3: loop", "the first hint not read")
	assert.Contains(t, out, "next hint: go run ./tools/kata hint 1 2")
	_, out, _ = kata(t, "hint", "1", "--all")
	assert.Contains(t, out, "hint 1 of 3")
	assert.NotContains(t, out, "hint 2 of 3")
	assert.Contains(t, out, "hint 3 of 3")

	_, out, _ = kata(t, "report")
	var r Report
	require.NoError(t, json.Unmarshal([]byte(out), &r), out)
	assert.Equal(t, 2, r.Lessons[0].HintsUsed, "hints actually shown")

	_, out, _ = kata(t, "hint", "1")
	assert.Contains(t, out, "hint 2 of 3")
	assert.Contains(t, out, "You have now read every hint")
}

func TestOldHintCountIsMigrated(t *testing.T) {
	root := newCourse(t)
	edit(t, root, progress.File, `{"version": 1, "lessons": {"01_sum": {"state": "failing", "hints_shown": 2}}}`)
	_, out, _ := kata(t, "hint", "1")
	assert.Contains(t, out, "hint 3 of 3", "hints 1 and 2 were read")
}

// TestBareHint: a bare hint is for the lesson being worked on, and never
// uses up a hint of a lesson not started.
func TestBareHint(t *testing.T) {
	root := newCourse(t)
	code, _, errOut := kata(t, "hint")
	assert.Equal(t, 2, code)
	assert.Contains(t, errOut, "no lesson is in progress")
	assert.Contains(t, errOut, "go run ./tools/kata hint 1")
	_, err := os.Stat(filepath.Join(root, progress.File))
	assert.ErrorIs(t, err, os.ErrNotExist, "no hint was recorded")

	kata(t, "check", "1") // a check of the untouched starter does not start it
	code, _, _ = kata(t, "hint")
	assert.Equal(t, 2, code)

	edit(t, root, "lessons/01_sum/sum.go", "package sum\n\nfunc Sum(xs []int) int { return 1 }\n")
	kata(t, "check", "1")
	code, out, _ := kata(t, "hint")
	assert.Equal(t, 0, code)
	assert.Contains(t, out, "01 · Sum, hint 1 of 3")
}

// threeLessons adds lessons 02 and 03 to the fixture course.
func threeLessons() map[string]string {
	files := map[string]string{"lessons/course.json": `{"title": "Fixture", "parts": [{"number": 1, "title": "Sums", "lessons": [
  {"dir": "01_sum", "title": "Sum", "node": "Array.reduce", "minutes": 5, "edit": ["sum.go"]},
  {"dir": "02_two", "title": "Two", "node": "x", "minutes": 5, "edit": ["two.go"]},
  {"dir": "03_three", "title": "Three", "node": "x", "minutes": 5, "edit": ["three.go"]}
]}]}`}
	for n, slug := range map[int]string{2: "two", 3: "three"} {
		dir := fmt.Sprintf("lessons/%02d_%s/", n, slug)
		files[dir+"README.md"] = fmt.Sprintf("# %02d · %s\n\n## The idea\nA.\n## Coming from Node.js\nB.\n## Picture\n```mermaid\ngraph LR; a-->b\n```\n"+
			"## Tasks\n1. **Return it.** Tests: `TestV`.\n## Run the tests\ngo test\n## What the tests check\nV.\n", n, strings.ToUpper(slug[:1])+slug[1:])
		files[dir+"hints.md"] = "# Hints\n\n## Hint 1: one\n\na\n"
		files[dir+slug+".go"] = "package " + slug + "\n\n// V returns 1.\nfunc V() int { return 0 }\n"
		files[dir+slug+"_test.go"] = "package " + slug + "\n\nimport \"testing\"\n\nfunc TestV(t *testing.T) {\n\tif V() != 1 {\n\t\tt.Error(\"V() != 1\")\n\t}\n}\n"
	}
	return files
}

const solvedTwo = "package two\n\n// V returns 1.\nfunc V() int { return 1 }\n"

// TestCheckInALessonDirectory checks that lesson, not the next one.
func TestCheckInALessonDirectory(t *testing.T) {
	root := newCourseWith(t, threeLessons())
	t.Chdir(filepath.Join(root, "lessons", "02_two"))
	_, out, _ := kata(t, "check")
	assert.Contains(t, out, "02 · Two")
	assert.NotContains(t, out, "01 · Sum")
	t.Chdir(filepath.Join(root, "lessons", "02_two"))
	_, out, _ = kata(t, "hint")
	assert.Contains(t, out, "02 · Two, hint 1 of 1", "the lesson of the directory")
}

// TestNextIsAfterTheCurrentLesson: after 02 passes, the next lesson is 03,
// not the unfinished 01 before it; 01 comes when nothing after is left.
func TestNextIsAfterTheCurrentLesson(t *testing.T) {
	root := newCourseWith(t, threeLessons())
	edit(t, root, "lessons/01_sum/sum.go", "package sum\n\nfunc Sum(xs []int) int { return 1 }\n")
	kata(t, "check", "1")
	edit(t, root, "lessons/02_two/two.go", solvedTwo)
	code, out, _ := kata(t, "check", "2")
	require.Equal(t, 0, code, out)
	_, out, _ = kata(t)
	assert.Contains(t, out, "Next: 03 · Three")

	edit(t, root, "lessons/03_three/three.go", "package three\n\nfunc V() int { return 1 }\n")
	kata(t, "check", "3")
	_, out, _ = kata(t)
	assert.Contains(t, out, "Next: 01 · Sum", "wrapping round when every later lesson passed")
}

// TestCheckAllLeavesUntouchedLessonsNotStarted.
func TestCheckAllLeavesUntouchedLessonsNotStarted(t *testing.T) {
	root := newCourseWith(t, threeLessons())
	edit(t, root, "lessons/02_two/two.go", solvedTwo)
	code, out, _ := kata(t, "check", "all")
	assert.Equal(t, 1, code)
	assert.Contains(t, out, "1 passed, 0 failed, 2 not started")
	_, out, _ = kata(t)
	assert.Regexp(t, `01 · Sum\s+not started`, out)
	assert.Regexp(t, `02 · Two\s+passed`, out)
	assert.Regexp(t, `03 · Three\s+not started`, out)
	assert.NotContains(t, out, "failing")
}

func TestReportAcceptsJSON(t *testing.T) {
	newCourse(t)
	code, out, errOut := kata(t, "report", "--json")
	require.Equal(t, 0, code, errOut)
	var r Report
	assert.NoError(t, json.Unmarshal([]byte(out), &r))
}

func TestHelpDocumentsExitCodes(t *testing.T) {
	newCourse(t)
	_, out, _ := kata(t, "help")
	assert.Contains(t, out, "exit status: 0 done")
	assert.Contains(t, out, "2 a usage error")
	assert.Contains(t, out, "3 the tool could not do")
}

// syncBuffer is a bytes.Buffer that a running command writes while the
// test reads it.
type syncBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *syncBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *syncBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// TestWatchKeepsOtherProcessesUpdates: hints read while watch runs stay
// recorded after watch checks again (watch used to write back the copy it
// had read when it started), and after a pass watch names the next lesson
// after this one.
func TestWatchKeepsOtherProcessesUpdates(t *testing.T) {
	root := newCourseWith(t, threeLessons())
	edit(t, root, "lessons/01_sum/sum.go", "package sum\n\nfunc Sum(xs []int) int { return 1 }\n")
	kata(t, "check", "1")
	ctx, cancel := context.WithCancel(context.Background())
	var out, errOut syncBuffer
	done := make(chan int)
	go func() { done <- Main(ctx, []string{"watch", "2", "--poll", "--no-race"}, &out, &errOut) }()
	defer func() { cancel(); <-done }()
	waitFor := func(what string, n int) {
		t.Helper()
		for i := 0; strings.Count(out.String(), what) < n; i++ {
			require.Less(t, i, 1200, "waited for %q %d times in:\n%s%s", what, n, out.String(), errOut.String())
			time.Sleep(50 * time.Millisecond)
		}
	}
	waitFor("watching lessons/02_two", 1)
	for range 3 {
		code, hout, herr := kata(t, "hint", "1")
		require.Equal(t, 0, code, hout+herr)
	}
	edit(t, root, "lessons/02_two/two.go", solvedTwo)
	waitFor("watching lessons/02_two", 2)
	assert.Contains(t, out.String(), "On to 03 · Three")

	p, _, err := progress.Load(root)
	require.NoError(t, err)
	assert.Equal(t, []int{1, 2, 3}, p.Lessons["01_sum"].HintsRead, "the hints read in another terminal are kept")
	assert.Equal(t, "passed", p.Lessons["02_two"].State)
}
