package catalog

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

const readme = "# 02 · Example\n\n## The idea\n\ntext\n\n## Tasks\n\n" +
	"1. **Count every request.** Tests: `TestCount`,\n   `TestCountConcurrent`.\n" +
	"2. **Keep I/O outside the lock.**\n   Tests: `TestIO`.\n\n## Run the tests\n\n`TestNotATask`\n"

func TestParseTasks(t *testing.T) {
	tasks, err := ParseTasks(readme)
	require.NoError(t, err)
	assert.Equal(t, []Task{
		{Number: 1, Title: "Count every request", Tests: []string{"TestCount", "TestCountConcurrent"}},
		{Number: 2, Title: "Keep I/O outside the lock", Tests: []string{"TestIO"}},
	}, tasks)
}

func TestParseTasksErrors(t *testing.T) {
	_, err := ParseTasks("# x\n\n## Tasks\n\nnone here\n")
	assert.ErrorContains(t, err, "no numbered tasks")
	_, err = ParseTasks("## Tasks\n\n1. **A.** Tests: `TestA`.\n3. **B.** Tests: `TestB`.\n")
	assert.ErrorContains(t, err, "task 2 is numbered 3")
	_, err = ParseTasks("## Tasks\n\n1. **A.** no tests named\n")
	assert.ErrorContains(t, err, "names no tests")
}

func TestParseHints(t *testing.T) {
	hints, err := ParseHints("# Hints\n\nintro\n\n## Hint 1: look\n\nnudge\n\n## Hint 2: try\n\napproach\n")
	require.NoError(t, err)
	assert.Equal(t, []Hint{{Number: 1, Title: "look", Text: "nudge"}, {Number: 2, Title: "try", Text: "approach"}}, hints)

	_, err = ParseHints("## Hint 1: a\n\n## Hint 3: c\n")
	assert.ErrorContains(t, err, "hint 2 is numbered 3")
}

func TestParseMistake(t *testing.T) {
	m, err := ParseMistake("// Mistake: the lock covers only the write.\n//\n// More words.\n//\n" +
		"// Replaces: store.go\n// Kind: test failed\n// Expect: lost update\n// Expect: hint 2\n\npackage x\n\n// Expect: not a header line\n")
	require.NoError(t, err)
	assert.Equal(t, "the lock covers only the write.", m.Summary)
	assert.Equal(t, "store.go", m.Replaces)
	assert.Equal(t, []string{"lost update", "hint 2"}, m.Expect)
	assert.Equal(t, "test failed", m.Kind)

	m, err = ParseMistake("// Mistake: x\n// Replaces: a.go\n// Kind: does not compile\n// Expect: cannot close\n// Compiles: no\npackage x\n")
	require.NoError(t, err)
	assert.True(t, m.CompileError)
	_, err = ParseMistake("// Mistake: x\n// Replaces: a.go\n// Expect: y\n// Compiles: maybe\npackage x\n")
	assert.ErrorContains(t, err, "yes or no")

	_, err = ParseMistake("// Mistake: x\n// Expect: y\npackage x\n")
	assert.ErrorContains(t, err, "Replaces")
	_, err = ParseMistake("// Replaces: a.go\n// Expect: y\npackage x\n")
	assert.ErrorContains(t, err, "Mistake")
	_, err = ParseMistake("// Mistake: x\n// Replaces: a.go\n// Kind: panic\npackage x\n")
	assert.ErrorContains(t, err, "Expect")
	_, err = ParseMistake("// Mistake: x\n// Replaces: a.go\n// Expect: y\npackage x\n")
	assert.ErrorContains(t, err, "Kind")
	_, err = ParseMistake("// Mistake: x\n// Replaces: a.go\n// Kind: goroutine leaks\n// Expect: y\npackage x\n")
	assert.ErrorContains(t, err, "is not a kind")
	_, err = ParseMistake("// Mistake: x\n// Replaces: a.go\n// Kind: test failed\n// Expect: y\n// Compiles: no\npackage x\n")
	assert.ErrorContains(t, err, "Compiles: no")
}

func TestParseDir(t *testing.T) {
	n, slug, err := ParseDir("05_lost_update")
	require.NoError(t, err)
	assert.Equal(t, 5, n)
	assert.Equal(t, "lost_update", slug)
	for _, bad := range []string{"internal", "5_x", "05", "05_", "05_Lost", "xx_y"} {
		_, _, err := ParseDir(bad)
		assert.Error(t, err, bad)
	}
}

// fakeCourse writes a course with two lessons listed, one of them on disk.
func fakeCourse(t *testing.T) string {
	root := t.TempDir()
	write := func(rel, text string) {
		path := filepath.Join(root, filepath.FromSlash(rel))
		require.NoError(t, os.MkdirAll(filepath.Dir(path), 0o755))
		require.NoError(t, os.WriteFile(path, []byte(text), 0o644))
	}
	write(CourseFile, `{"title": "T", "parts": [{"number": 1, "title": "P", "lessons": [
		{"dir": "01_lost_update", "title": "Lost update", "node": "n", "minutes": 5, "edit": ["store.go"], "contract": ["bank.go"], "budget": "5s"},
		{"dir": "02_later", "title": "Later", "node": "n", "minutes": 5}]}]}`)
	write("lessons/01_lost_update/store.go", "package lostupdate\n")
	write("lessons/01_lost_update/bank.go", "package lostupdate\n")
	write("lessons/01_lost_update/store_test.go", "package lostupdate\n")
	write("lessons/internal/katatest/k.go", "package katatest\n")
	return root
}

func TestLoadAndFind(t *testing.T) {
	c, err := Load(fakeCourse(t))
	require.NoError(t, err)
	require.Len(t, c.Lessons, 2)
	assert.False(t, c.Lessons[0].Planned)
	assert.True(t, c.Lessons[1].Planned, "a listed lesson with no directory is planned")
	assert.Len(t, c.Available(), 1)
	assert.Same(t, c.Parts[0], c.Lessons[0].Part)

	for _, name := range []string{"1", "01", "lost_update", "01_lost_update", "lostupdate", "lessons/01_lost_update/"} {
		l, err := c.Find(name)
		require.NoError(t, err, name)
		assert.Equal(t, "01_lost_update", l.Dir)
	}
	_, err = c.Find("2")
	assert.ErrorContains(t, err, "planned but not written yet")
	_, err = c.Find("99")
	assert.ErrorContains(t, err, "no lesson")

	l, _ := c.Find("1")
	starters, tests, err := l.Files()
	require.NoError(t, err)
	assert.Equal(t, []string{"store.go"}, starters, "only the declared files to edit are starters")
	assert.Equal(t, []string{"store_test.go"}, tests)
	assert.Equal(t, []string{"store.go"}, l.EditFiles())
	assert.Equal(t, []string{"bank.go"}, l.ContractFiles())
	assert.Equal(t, 5*time.Second, l.Budget)
	assert.True(t, l.Protected("bank.go"), "a contract file is protected like a test")
	assert.True(t, l.Protected("store_test.go"))
	assert.False(t, l.Protected("store.go"))
	assert.Equal(t, "./lessons/01_lost_update", l.ImportPath())
	assert.Equal(t, "01 · Lost update", l.Name())
}

func TestLoadRejectsUnlistedLesson(t *testing.T) {
	root := fakeCourse(t)
	require.NoError(t, os.MkdirAll(filepath.Join(root, "lessons", "03_stray"), 0o755))
	_, err := Load(root)
	assert.ErrorContains(t, err, "03_stray is not listed")
}

func TestLoadChecksDeclaredFiles(t *testing.T) {
	for _, tc := range []struct{ decl, want string }{
		{``, `no "edit" list`},
		{`, "edit": []`, `no "edit" list`},
		{`, "edit": ["store_test.go"]`, "is a test file"},
		{`, "edit": ["../store.go"]`, "not a .go file name"},
		{`, "edit": ["store.go"], "contract": ["store.go"]`, "declared twice"},
		{`, "edit": ["store.go"], "budget": "soon"`, "not a positive duration"},
	} {
		root := fakeCourse(t)
		path := filepath.Join(root, CourseFile)
		data, err := os.ReadFile(path)
		require.NoError(t, err)
		old := `"minutes": 5, "edit": ["store.go"], "contract": ["bank.go"], "budget": "5s"}`
		require.Contains(t, string(data), old)
		data = []byte(strings.Replace(string(data), old, `"minutes": 5`+tc.decl+`}`, 1))
		require.NoError(t, os.WriteFile(path, data, 0o644))
		_, err = Load(root)
		assert.ErrorContains(t, err, tc.want, tc.decl)
	}
}

func TestPlannedLessonNeedsNoFiles(t *testing.T) {
	c, err := Load(fakeCourse(t))
	require.NoError(t, err)
	assert.Empty(t, c.Lessons[1].EditFiles(), "02_later is planned and declares nothing")
}

func TestFormatRoundTrips(t *testing.T) {
	root := fakeCourse(t)
	c, err := Load(root)
	require.NoError(t, err)
	formatted := c.Format()
	assert.Equal(t, `{
  "title": "T",
  "parts": [
    {
      "number": 1,
      "title": "P",
      "lessons": [
        {"dir": "01_lost_update", "title": "Lost update", "node": "n", "minutes": 5, "edit": ["store.go"], "contract": ["bank.go"], "budget": "5s"},
        {"dir": "02_later", "title": "Later", "node": "n", "minutes": 5}
      ]
    }
  ]
}
`, string(formatted))
	require.NoError(t, os.WriteFile(c.Path(), formatted, 0o644))
	again, err := Load(root)
	require.NoError(t, err)
	assert.Equal(t, string(formatted), string(again.Format()))
}

func TestAddLesson(t *testing.T) {
	c, err := Load(fakeCourse(t))
	require.NoError(t, err)
	l, err := c.AddLesson("02_soon", "Soon")
	require.NoError(t, err)
	assert.Same(t, c.Lessons[1], l, "the planned lesson 02 becomes the new one")
	assert.Equal(t, []string{"soon.go"}, l.EditFiles())
	assert.False(t, l.Planned)
	assert.Equal(t, "n", l.Node, "a planned entry keeps its Node idea")

	l, err = c.AddLesson("26_scratch", "Scratch")
	require.NoError(t, err)
	assert.Equal(t, []*Lesson{c.Lessons[0], c.Lessons[1], l}, c.Lessons)
	assert.Same(t, c.Parts[0], l.Part)
	assert.Contains(t, string(c.Format()), `{"dir": "26_scratch", "title": "Scratch", "node": "TODO: the Node.js idea it answers", "minutes": 45, "edit": ["scratch.go"]}`)

	_, err = c.AddLesson("01_other", "Other")
	assert.ErrorContains(t, err, "already exists")
	_, err = c.AddLesson("bad", "Bad")
	assert.Error(t, err)
}
