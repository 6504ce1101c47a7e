package cli

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.uber.org/goleak"

	"github.com/gokatas/concurrency/tools/internal/pristine"
	"github.com/gokatas/concurrency/tools/internal/progress"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

// The fixture course is the one the verify package tests with: one lesson,
// 01_sum, whose starter returns 0.
var fixture, _ = filepath.Abs("../verify/testdata/course")

const solvedSum = `// Package sum is a fixture lesson.
package sum

// Sum adds up xs.
func Sum(xs []int) int {
	total := 0
	for _, x := range xs {
		total += x
	}
	return total
}
`

// newCourse copies the fixture into a fresh git repository, records its
// pristine hashes, commits it, and makes it the working directory.
func newCourse(t *testing.T) string {
	t.Helper()
	root := t.TempDir()
	require.NoError(t, os.CopyFS(root, os.DirFS(fixture)))
	sums, err := pristine.Scan(root, []string{"01_sum"})
	require.NoError(t, err)
	require.NoError(t, os.WriteFile(filepath.Join(root, pristine.File), sums.Format(), 0o644))
	require.NoError(t, os.WriteFile(filepath.Join(root, ".gitignore"), []byte("/.kata-progress.json\n/.kata/\n"), 0o644))
	git(t, root, "init", "-q")
	git(t, root, "add", ".")
	git(t, root, "commit", "-qm", "the course")
	t.Chdir(root)
	return root
}

func git(t *testing.T, dir string, args ...string) {
	t.Helper()
	cmd := exec.Command("git", args...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), "GIT_AUTHOR_NAME=Ada", "GIT_AUTHOR_EMAIL=ada@example.com",
		"GIT_COMMITTER_NAME=Ada", "GIT_COMMITTER_EMAIL=ada@example.com")
	out, err := cmd.CombinedOutput()
	require.NoError(t, err, "git %v: %s", args, out)
}

// kata runs the tool and returns its exit status and output.
func kata(t *testing.T, args ...string) (int, string, string) {
	t.Helper()
	var out, errOut bytes.Buffer
	code := Main(context.Background(), args, &out, &errOut)
	return code, out.String(), errOut.String()
}

func edit(t *testing.T, root, rel, text string) {
	t.Helper()
	require.NoError(t, os.WriteFile(filepath.Join(root, filepath.FromSlash(rel)), []byte(text), 0o644))
}

func TestOverviewOfANewCourse(t *testing.T) {
	newCourse(t)
	code, out, _ := kata(t)
	assert.Equal(t, 0, code)
	assert.Contains(t, out, "0 of 1 lessons passed")
	assert.Contains(t, out, "Part 1. Sums")
	assert.Contains(t, out, "01 · Sum")
	assert.Contains(t, out, "not started")
	assert.Contains(t, out, "go run ./tools/kata check 1")
	assert.NotContains(t, out, "\x1b[", "no colour when not writing to a terminal")
}

func TestCheckFailingThenSolved(t *testing.T) {
	root := newCourse(t)
	code, out, _ := kata(t, "check", "1")
	assert.Equal(t, 1, code, out)
	assert.Contains(t, out, "✗ test failed")
	assert.Contains(t, out, "TestSum")
	assert.Contains(t, out, "means: an element was skipped", "the test's own message")
	assert.Contains(t, out, "tasks: 1 ✗")

	edit(t, root, "lessons/01_sum/sum.go", solvedSum)
	code, out, _ = kata(t, "check", "sum")
	assert.Equal(t, 0, code, out)
	assert.Contains(t, out, "✓ passed")

	p, notice, err := progress.Load(root)
	require.NoError(t, err)
	assert.Empty(t, notice)
	assert.Equal(t, "passed", p.Lessons["01_sum"].State)
	assert.Equal(t, []int{1}, p.Lessons["01_sum"].TasksPassed)

	_, out, _ = kata(t)
	assert.Contains(t, out, "1 of 1 lessons passed")
	_, out, _ = kata(t, "list")
	assert.Contains(t, out, "tasks 1/1 ✓")

	// An edit after the check makes the recorded pass stale.
	edit(t, root, "lessons/01_sum/sum.go", solvedSum+"\n// more\n")
	_, out, _ = kata(t)
	assert.Contains(t, out, "changed since last check")
}

func TestCheckCompileError(t *testing.T) {
	root := newCourse(t)
	edit(t, root, "lessons/01_sum/sum.go", "package sum\n\nfunc Sum(xs []int) int { return \"six\" }\n")
	code, out, _ := kata(t, "check", "01")
	assert.Equal(t, 1, code)
	assert.Contains(t, out, "✗ does not compile")
	assert.Contains(t, out, `sum.go:3:33: cannot use "six"`)
}

func TestCheckSpinningInitIsAHang(t *testing.T) {
	root := newCourse(t)
	old := CheckTimeout
	CheckTimeout = time.Second
	t.Cleanup(func() { CheckTimeout = old })
	edit(t, root, "lessons/01_sum/sum.go", "package sum\n\nvar ready = spin()\n\nfunc spin() bool {\n\tfor {\n\t}\n}\n\nfunc Sum(xs []int) int { return 0 }\n")
	start := time.Now()
	code, out, _ := kata(t, "check", "1", "--no-race")
	assert.Equal(t, 1, code)
	assert.Contains(t, out, "✗ deadlock or hang")
	assert.Contains(t, out, "init functions")
	assert.Less(t, time.Since(start), 2*time.Minute)
}

func TestCheckWithEditedTests(t *testing.T) {
	root := newCourse(t)
	edit(t, root, "lessons/01_sum/sum.go", solvedSum)
	edit(t, root, "lessons/01_sum/sum_test.go", "package sum\n\nimport \"testing\"\n\nfunc TestSum(t *testing.T) {}\n")
	_, out, _ := kata(t)
	assert.Contains(t, out, "tests changed: a pass will not count", "the overview warns before any check")
	code, out, _ := kata(t, "check", "1")
	assert.Equal(t, 1, code, "a pass with changed tests does not count")
	assert.Contains(t, out, "tests were changed")
	assert.Contains(t, out, "sum_test.go (changed)")
	assert.Contains(t, out, "reset --tests 1")

	code, out, _ = kata(t, "reset", "--tests", "1")
	assert.Equal(t, 0, code, out)
	assert.Contains(t, out, "Restored 1 file(s)")
	code, out, _ = kata(t, "check", "1")
	assert.Equal(t, 0, code, out)
}

func TestCorruptProgressIsRebuilt(t *testing.T) {
	root := newCourse(t)
	edit(t, root, progress.File, "\x00garbage{{")
	code, out, errOut := kata(t)
	assert.Equal(t, 0, code)
	assert.Contains(t, errOut, "was unreadable")
	assert.Contains(t, out, "not started")
	_, err := os.Stat(filepath.Join(root, progress.File+".corrupt"))
	assert.NoError(t, err, "the unreadable file is set aside, not deleted")
}

func TestResetSavesYourWorkFirst(t *testing.T) {
	root := newCourse(t)
	mine := "// Package sum is mine.\npackage sum\n\n// Sum is half done.\nfunc Sum(xs []int) int { return len(xs) }\n"
	edit(t, root, "lessons/01_sum/sum.go", mine)
	git(t, root, "commit", "-qam", "my work") // the original is no longer on disk or at HEAD

	code, out, _ := kata(t, "reset", "1")
	require.Equal(t, 0, code, out)
	assert.Contains(t, out, "Restored 1 file(s) of 01 · Sum: sum.go")
	restored, err := os.ReadFile(filepath.Join(root, "lessons/01_sum/sum.go"))
	require.NoError(t, err)
	original, err := os.ReadFile(filepath.Join(fixture, "lessons/01_sum/sum.go"))
	require.NoError(t, err)
	assert.Equal(t, string(original), string(restored))

	saved, err := filepath.Glob(filepath.Join(root, SavedDir, "01_sum", "*", "sum.go"))
	require.NoError(t, err)
	require.Len(t, saved, 1)
	kept, err := os.ReadFile(saved[0])
	require.NoError(t, err)
	assert.Equal(t, mine, string(kept))
	rel, _ := filepath.Rel(root, filepath.Dir(saved[0]))
	assert.Contains(t, out, "Your versions are saved in "+filepath.ToSlash(rel))

	code, out, _ = kata(t, "reset", "1")
	assert.Equal(t, 0, code)
	assert.Contains(t, out, "nothing to reset")
}

func TestResetWithoutGitChangesNothing(t *testing.T) {
	root := newCourse(t)
	require.NoError(t, os.RemoveAll(filepath.Join(root, ".git")))
	edit(t, root, "lessons/01_sum/sum.go", "package sum\n\nfunc Sum(xs []int) int { return 1 }\n")
	code, _, errOut := kata(t, "reset", "1")
	assert.Equal(t, 1, code)
	assert.Contains(t, errOut, "nothing was changed")
	data, _ := os.ReadFile(filepath.Join(root, "lessons/01_sum/sum.go"))
	assert.Contains(t, string(data), "return 1", "the learner's file is untouched")
}

func TestHintsOneAtATime(t *testing.T) {
	newCourse(t)
	_, out, _ := kata(t, "hint", "1")
	assert.Contains(t, out, "hint 1 of 3: loop")
	_, out, _ = kata(t, "hint", "1")
	assert.Contains(t, out, "hint 2 of 3: add")
	_, out, _ = kata(t, "hint", "1", "--all")
	assert.Contains(t, out, "hint 1 of 3")
	assert.Contains(t, out, "hint 2 of 3")
	assert.NotContains(t, out, "hint 3 of 3")
	_, out, _ = kata(t, "hint", "1")
	assert.Contains(t, out, "hint 3 of 3: return")
	_, out, _ = kata(t, "hint", "1")
	assert.Contains(t, out, "That was the last hint")
	code, _, errOut := kata(t, "hint", "1", "9")
	assert.Equal(t, 1, code)
	assert.Contains(t, errOut, "hints 1 to 3")
}

func TestSolutionWaitsForAPass(t *testing.T) {
	root := newCourse(t)
	code, out, _ := kata(t, "solution", "1")
	assert.Equal(t, 1, code)
	assert.Contains(t, out, "has not passed yet")
	assert.NotContains(t, out, "total += x")

	code, out, _ = kata(t, "solution", "1", "--force")
	assert.Equal(t, 0, code)
	assert.Contains(t, out, "total += x")
	assert.Contains(t, out, "solutions/01_sum/NOTES.md")

	edit(t, root, "lessons/01_sum/sum.go", solvedSum)
	kata(t, "check", "1")
	code, out, _ = kata(t, "solution", "1")
	assert.Equal(t, 0, code)
	assert.Contains(t, out, "total += x")
}

func TestReportAndClass(t *testing.T) {
	root := newCourse(t)
	kata(t, "hint", "1")
	code, out, _ := kata(t, "report", "--name", "Ada")
	require.Equal(t, 0, code)
	var r Report
	require.NoError(t, json.Unmarshal([]byte(out), &r), out)
	assert.Equal(t, "Ada", r.Learner)
	require.Len(t, r.Lessons, 1)
	assert.Equal(t, LessonReport{Lesson: "01_sum", Title: "Sum", State: "not started", TasksTotal: 1, HintsUsed: 1}, r.Lessons[0])

	dir := t.TempDir()
	save := func(name string, r Report) string {
		data, err := json.Marshal(r)
		require.NoError(t, err)
		path := filepath.Join(dir, name)
		require.NoError(t, os.WriteFile(path, data, 0o644))
		return path
	}
	bob, cy := r, r
	bob.Learner, bob.Lessons = "Bob", []LessonReport{{Lesson: "01_sum", Title: "Sum", State: "failing", Kind: "data_race", TasksTotal: 1}}
	cy.Learner, cy.Lessons = "Cy", []LessonReport{{Lesson: "01_sum", Title: "Sum", State: "passed", TasksPassed: 1, TasksTotal: 1, HintsUsed: 3}}
	junk := filepath.Join(dir, "junk.json")
	require.NoError(t, os.WriteFile(junk, []byte("nope"), 0o644))
	page := filepath.Join(dir, "class.html")

	code, out, _ = kata(t, "class", save("ada.json", r), save("bob.json", bob), save("cy.json", cy), junk, "--html", page)
	require.Equal(t, 0, code, out)
	assert.Contains(t, out, "# Class progress (3 learners)")
	assert.Contains(t, out, "| 01_sum | 1/3 | 1 | 1 | data race | 4 |")
	assert.Contains(t, out, "| Bob | 0 | ✗ data race |")
	assert.Contains(t, out, "Skipped "+junk)
	html, err := os.ReadFile(page)
	require.NoError(t, err)
	assert.Contains(t, string(html), "<td>01_sum</td><td>1/3</td>")
	assert.NotContains(t, string(html), "<script", "self-contained and static")
	_ = root
}

func TestNoRaceDetector(t *testing.T) {
	root := newCourse(t)
	old := raceSupport
	raceSupport = func(context.Context) (bool, string) { return false, "no C compiler (test)" }
	t.Cleanup(func() { raceSupport = old })
	edit(t, root, "lessons/01_sum/sum.go", solvedSum)
	code, out, errOut := kata(t, "check", "1")
	assert.Equal(t, 0, code)
	assert.Contains(t, errOut, "races are not being checked: no C compiler (test)")
	assert.Contains(t, out, "✓ passed (not race-checked)")
	p, _, _ := progress.Load(root)
	assert.False(t, p.Lessons["01_sum"].RaceChecked)
}

func TestCheckJSON(t *testing.T) {
	newCourse(t)
	code, out, _ := kata(t, "check", "1", "--json")
	assert.Equal(t, 1, code)
	var got []checkJSON
	require.NoError(t, json.Unmarshal([]byte(out), &got), out)
	require.Len(t, got, 1)
	assert.Equal(t, "test_failed", got[0].Kind)
	assert.False(t, got[0].Passed)
	assert.Equal(t, "TestSum", got[0].Failures[0].Test)
}

func TestUsageErrors(t *testing.T) {
	newCourse(t)
	code, _, errOut := kata(t, "frobnicate")
	assert.Equal(t, 2, code)
	assert.Contains(t, errOut, `unknown command "frobnicate"`)
	code, _, errOut = kata(t, "check", "--bogus")
	assert.Equal(t, 2, code)
	assert.Contains(t, errOut, "usage: go run ./tools/kata check")
	code, _, errOut = kata(t, "check", "42")
	assert.Equal(t, 1, code)
	assert.Contains(t, errOut, `no lesson "42"`)
}

func TestHelpForEveryCommand(t *testing.T) {
	newCourse(t)
	code, out, _ := kata(t, "help")
	assert.Equal(t, 0, code)
	for _, c := range commands {
		assert.Contains(t, out, "  "+c.name, "the command list names %s", c.name)
		code, out, _ := kata(t, "help", c.name)
		assert.Equal(t, 0, code, c.name)
		assert.True(t, strings.Contains(out, "usage: go run ./tools/kata "+c.name), "help %s: %s", c.name, out)
	}
}

func TestOutsideTheCourse(t *testing.T) {
	t.Chdir(t.TempDir())
	code, _, errOut := kata(t)
	assert.Equal(t, 2, code)
	assert.Contains(t, errOut, "not inside the course")
}

func TestPristineRecordsNamedLessons(t *testing.T) {
	root := newCourse(t)
	edit(t, root, "lessons/01_sum/hints.md", "# Hints\n\n## Hint 1: a\n\nx\n")
	edit(t, root, pristine.File, "# old\n"+strings.Repeat("a", 40)+"  09_other/x.go\n")
	code, out, _ := kata(t, "pristine", "1")
	require.Equal(t, 0, code, out)
	sums, err := pristine.Load(root)
	require.NoError(t, err)
	assert.Equal(t, strings.Repeat("a", 40), sums["09_other/x.go"], "other lessons' entries are kept")
	h, err := pristine.HashFile(filepath.Join(root, "lessons/01_sum/hints.md"))
	require.NoError(t, err)
	assert.Equal(t, h, sums["01_sum/hints.md"])
}

func TestCourseMap(t *testing.T) {
	root := newCourse(t)
	code, out, _ := kata(t, "map")
	require.Equal(t, 0, code)
	assert.Contains(t, out, "## Part 1. Sums (5 min)")
	assert.Contains(t, out, "| 01 | [Sum](../lessons/01_sum/) | Array.reduce | 5 min |")
	code, _, _ = kata(t, "map", "--write")
	require.Equal(t, 0, code)
	saved, err := os.ReadFile(filepath.Join(root, CourseMapFile))
	require.NoError(t, err)
	assert.Equal(t, out, string(saved))
	assert.Equal(t, "1 h 30 min", hours(90))
}
