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

	"github.com/gokatas/concurrency/tools/internal/catalog"
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
func newCourse(t *testing.T) string { return newCourseWith(t, nil) }

// newCourseWith is newCourse with files (by slash path from the root) added
// to the fixture or replacing its own, as published course files.
func newCourseWith(t *testing.T, files map[string]string) string {
	t.Helper()
	root := t.TempDir()
	require.NoError(t, os.CopyFS(root, os.DirFS(fixture)))
	for rel, text := range files {
		path := filepath.Join(root, filepath.FromSlash(rel))
		require.NoError(t, os.MkdirAll(filepath.Dir(path), 0o755))
		require.NoError(t, os.WriteFile(path, []byte(text), 0o644))
	}
	dirs, err := filepath.Glob(filepath.Join(root, "lessons", "[0-9][0-9]_*"))
	require.NoError(t, err)
	for i, d := range dirs {
		dirs[i] = filepath.Base(d)
	}
	sums, err := pristine.Scan(root, dirs)
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
	assert.Contains(t, out, "edit lessons/01_sum/: sum.go", "the overview names the file to edit")
	assert.NotContains(t, out, "input.go", "a contract file is not one to edit")
	assert.NotContains(t, out, "\x1b[", "no colour when not writing to a terminal")
}

func TestCheckFailingThenSolved(t *testing.T) {
	root := newCourse(t)
	code, out, _ := kata(t, "check", "1")
	assert.Equal(t, 1, code, out)
	assert.Contains(t, out, "01 · Sum  edit lessons/01_sum/: sum.go  (", "the header names the file to edit")
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

func TestCheckWithEditedContractFile(t *testing.T) {
	root := newCourse(t)
	edit(t, root, "lessons/01_sum/sum.go", solvedSum)
	edit(t, root, "lessons/01_sum/input.go", "package sum\n\nvar Input = []int{6}\n")
	code, out, _ := kata(t, "check", "1")
	assert.Equal(t, 1, code, "a pass against a changed contract file does not count")
	assert.Contains(t, out, "tests were changed: input.go (changed)")

	code, out, _ = kata(t, "reset", "--tests", "1")
	assert.Equal(t, 0, code, out)
	assert.Contains(t, out, "Restored 1 file(s) of 01 · Sum: input.go", "--tests restores contract files and leaves the work alone")
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
	assert.Equal(t, 3, code, "the tool could not do its job")
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
	assert.Equal(t, 2, code, "a usage error")
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
	assert.Equal(t, 2, code, "an unknown lesson is a usage error")
	assert.Contains(t, errOut, `no lesson "42"`)
	code, _, errOut = kata(t, "check", "1", "2")
	assert.Equal(t, 2, code)
	assert.Contains(t, errOut, "name one lesson")
	code, _, _ = kata(t, "help", "frobnicate")
	assert.Equal(t, 2, code)
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

func TestDocs(t *testing.T) {
	root := newCourse(t)
	code, out, _ := kata(t, "docs")
	assert.Equal(t, 1, code, out)
	assert.Contains(t, out, "out of date: docs/course-map.md\nout of date: README.md\nout of date: solutions/01_sum/NOTES.md\n")

	code, out, _ = kata(t, "docs", "--write")
	require.Equal(t, 0, code, out)
	readme, err := os.ReadFile(filepath.Join(root, "README.md"))
	require.NoError(t, err)
	assert.Contains(t, string(readme), "| | **Part 1. Sums** | |\n| 01 | [Sum](lessons/01_sum/) | Array.reduce |\n<!-- end")
	notes, err := os.ReadFile(filepath.Join(root, "solutions/01_sum/NOTES.md"))
	require.NoError(t, err)
	assert.Contains(t, string(notes), "| `skips_first.go` | `sum.go` | test failed | the loop skips the first element. | `an element was skipped` |\n")
	assert.Contains(t, string(notes), "| `wrong_kind.go` | `sum.go` | data race |", "the kind is the header's, as declared")

	code, out, _ = kata(t, "docs")
	assert.Equal(t, 0, code, out)
	assert.Contains(t, out, "all 10 generated documents are up to date", "3 documents and 7 known mistakes")

	// A known mistake written as a copy of the solution with one line
	// changed is cut to the declaration that differs.
	edit(t, root, "solutions/01_sum/testdata/mistakes/skips_first.go",
		"// Mistake: the loop skips the first element.\n//\n// Replaces: sum.go\n// Kind: test failed\n// Expect: an element was skipped\n\n"+
			"// Package sum is a fixture lesson.\npackage sum\n\nimport \"fmt\"\n\n// Sum adds up xs.\nfunc Sum(xs []int) int {\n\ttotal := 0\n\tfor _, x := range xs[1:] {\n\t\ttotal += x\n\t}\n\treturn total\n}\n\nfunc unused() { fmt.Println() }\n")
	code, out, _ = kata(t, "docs")
	assert.Equal(t, 1, code, out)
	assert.Contains(t, out, "out of date: solutions/01_sum/testdata/mistakes/skips_first.go\n")
	code, out, _ = kata(t, "docs", "--write")
	require.Equal(t, 0, code, out)
	cut, err := os.ReadFile(filepath.Join(root, "solutions/01_sum/testdata/mistakes/skips_first.go"))
	require.NoError(t, err)
	assert.Equal(t, "// Mistake: the loop skips the first element.\n//\n// Replaces: sum.go\n// Kind: test failed\n// Expect: an element was skipped\n\n"+
		"// Package sum is a fixture lesson.\npackage sum\n\nimport \"fmt\"\n\nfunc Sum(xs []int) int {\n\ttotal := 0\n\tfor _, x := range xs[1:] {\n\t\ttotal += x\n\t}\n\treturn total\n}\n\nfunc unused() { fmt.Println() }\n", string(cut))

	edit(t, root, "solutions/01_sum/NOTES.md", "# Notes\n")
	code, _, errOut := kata(t, "docs")
	assert.Equal(t, 1, code)
	assert.Contains(t, errOut, "solutions/01_sum/NOTES.md has no generated part")
}

// TestGeneratedDocsAreCurrent checks the course's own generated documents:
// the course map, the README's course table and every NOTES.md mistakes
// table must be what `go run ./tools/kata docs --write` writes now.
func TestGeneratedDocsAreCurrent(t *testing.T) {
	root, err := filepath.Abs(filepath.Join("..", "..", ".."))
	require.NoError(t, err)
	c, err := catalog.Load(root)
	require.NoError(t, err)
	docs, err := GeneratedDocs(c)
	require.NoError(t, err)
	for _, d := range docs {
		saved, err := os.ReadFile(filepath.Join(root, filepath.FromSlash(d.Path)))
		require.NoError(t, err)
		assert.Equal(t, string(d.Data), string(saved), "%s is out of date: run `go run ./tools/kata docs --write`", d.Path)
	}
}

// TestNewLesson lays out a lesson with `kata new` in a clone of the fixture
// course, verifies it, and removes it with git.
func TestNewLesson(t *testing.T) {
	root := newCourse(t)
	code, out, errOut := kata(t, "new", "26_scratch", "Scratch")
	require.Equal(t, 0, code, out+errOut)
	assert.Contains(t, out, "Lesson 26 · Scratch is laid out:")
	assert.Contains(t, out, "Left to write")
	assert.Contains(t, out, "solutions/26_scratch/scratch.go: the reference solution")
	for _, rel := range []string{"lessons/26_scratch/README.md", "lessons/26_scratch/hints.md", "lessons/26_scratch/scratch.go",
		"lessons/26_scratch/scratch_test.go", "solutions/26_scratch/NOTES.md", "solutions/26_scratch/testdata/mistakes"} {
		_, err := os.Stat(filepath.Join(root, rel))
		assert.NoError(t, err, rel)
	}
	course, err := os.ReadFile(filepath.Join(root, "lessons/course.json"))
	require.NoError(t, err)
	assert.Contains(t, string(course), `{"dir": "26_scratch", "title": "Scratch", "node": "TODO: the Node.js idea it answers", "minutes": 45, "edit": ["scratch.go"]}`)
	code, out, _ = kata(t, "docs")
	assert.Equal(t, 0, code, "kata new rewrote the generated docs: %s", out)

	// The verification fails only for what a human must write.
	code, out, _ = kata(t, "verify", "26", "--json")
	assert.Equal(t, 1, code)
	var checks []struct {
		Name   string `json:"check"`
		OK     bool   `json:"ok"`
		Detail string `json:"detail"`
	}
	require.NoError(t, json.Unmarshal([]byte(out), &checks), out)
	got := map[string]string{}
	for _, c := range checks {
		if c.OK {
			got[c.Name] = "ok"
		} else {
			got[c.Name] = c.Detail
		}
	}
	assert.Equal(t, "ok", got["starter"], "the starter fails as it should")
	assert.Equal(t, "ok", got["starter -race"])
	assert.Equal(t, "solution files [] do not mirror the files to edit [scratch.go] (contract files are not copied)\n0 known mistakes, want at least 3", got["parts"])
	assert.Contains(t, got["solution"], "the solution fails", "no solution yet: the starter stands in and fails")
	assert.Equal(t, "ok", got["solution vet"])
	assert.Len(t, got, 5, "no other check: %v", got)

	code, out, _ = kata(t, "new", "26_scratch", "Scratch")
	assert.Equal(t, 2, code, out, "a lesson that exists is a usage error")

	git(t, root, "clean", "-fdxq")
	git(t, root, "checkout", ".")
	cmd := exec.Command("git", "status", "--porcelain", "--ignored")
	cmd.Dir = root
	status, err := cmd.Output()
	require.NoError(t, err)
	assert.Empty(t, string(status), "git clean and checkout leave nothing of the new lesson")
}
