package cli

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"

	"github.com/gokatas/concurrency/tools/internal/catalog"
	"github.com/gokatas/concurrency/tools/internal/pristine"
	"github.com/gokatas/concurrency/tools/internal/verify"
)

func init() {
	register(&command{
		name:    "new",
		args:    "NN_slug \"Title\"",
		summary: "for maintainers: start a new lesson: its room, its solution folder, its course.json entry",
		help: "Writes the skeleton of lesson NN_slug: lessons/NN_slug/ with a README that has\n" +
			"every section the lesson contract requires, hints.md with the minimum number of\n" +
			"hints, a starter <slug>.go with a // TODO: and a test file with TestMain and one\n" +
			"failing test; solutions/NN_slug/ with NOTES.md and an empty catalogue of mistakes.\n" +
			"It adds the lesson to lessons/course.json (a planned entry with that number becomes\n" +
			"the lesson), records its pristine hashes and rewrites the generated docs, then\n" +
			"lists what is left to write. It changes nothing if the lesson already exists.",
		run: runNew,
	})
}

func runNew(ctx context.Context, env *Env, args []string) error {
	fs := flags("new", env)
	if err := parse(fs, args); err != nil {
		return err
	}
	if fs.NArg() != 2 || strings.TrimSpace(fs.Arg(1)) == "" {
		fs.Usage()
		return errUsage
	}
	dir, title := fs.Arg(0), strings.TrimSpace(fs.Arg(1))
	if _, _, err := catalog.ParseDir(dir); err != nil {
		fmt.Fprintf(env.Stderr, "kata: %v\n", err)
		return errUsage
	}
	c, err := catalog.Load(env.Root)
	if err != nil {
		return err
	}
	l, err := c.AddLesson(dir, title)
	if err != nil {
		return usageError{err} // the number or directory is taken: the arguments are at fault
	}
	for _, path := range []string{l.Path(), l.SolutionPath()} {
		if _, err := os.Stat(path); !errors.Is(err, os.ErrNotExist) {
			return usagef("%s already exists; nothing was changed", path)
		}
	}
	module, err := modulePath(env.Root)
	if err != nil {
		return err
	}
	files := lessonSkeleton(l, module)
	for _, f := range files {
		if err := writeFile(env.Root, f.Path, f.Data); err != nil {
			return err
		}
	}
	if err := os.MkdirAll(filepath.Join(l.SolutionPath(), filepath.FromSlash(catalog.MistakesDir)), 0o755); err != nil {
		return err
	}
	if err := writeFile(env.Root, catalog.CourseFile, c.Format()); err != nil {
		return err
	}
	if err := recordPristine(env.Root, l); err != nil {
		return err
	}
	docs, err := GeneratedDocs(c)
	if err != nil {
		return err
	}
	for _, d := range docs {
		if err := writeFile(env.Root, d.Path, d.Data); err != nil {
			return err
		}
	}

	w := env.Stdout
	fmt.Fprintf(w, "Lesson %s is laid out:\n", l.Name())
	for _, f := range files {
		fmt.Fprintf(w, "  %s\n", f.Path)
	}
	fmt.Fprintf(w, "  %s/%s/%s/ (empty)\n", catalog.SolutionsDir, l.Dir, catalog.MistakesDir)
	fmt.Fprintf(w, "and %s, %s, %s, %s and the NOTES tables are updated.\n\n", catalog.CourseFile, pristine.File, ReadmeFile, CourseMapFile)
	fmt.Fprintf(w, "Left to write (every TODO in these files):\n")
	fmt.Fprintf(w, "  1. %s: the Node.js idea it answers and the minutes to budget (\"node\", \"minutes\")\n", catalog.CourseFile)
	fmt.Fprintf(w, "  2. lessons/%s/README.md, hints.md: the lesson, its tasks and their tests, the hints\n", l.Dir)
	fmt.Fprintf(w, "  3. lessons/%s/%s.go and %s_test.go: the starter's API and the tests that fail on it\n", l.Dir, l.Slug, l.Slug)
	fmt.Fprintf(w, "  4. solutions/%s/%s.go: the reference solution (one file for every file in \"edit\")\n", l.Dir, l.Slug)
	fmt.Fprintf(w, "  5. solutions/%s/%s/: at least three known mistakes, and NOTES.md\n", l.Dir, catalog.MistakesDir)
	fmt.Fprintf(w, "Then: go run ./tools/kata pristine %d && go run ./tools/kata docs --write && go run ./tools/kata verify %d\n", l.Number, l.Number)
	return nil
}

// recordPristine records the hashes of l's files, keeping the record's
// other entries.
func recordPristine(root string, l *catalog.Lesson) error {
	sums, err := pristine.Load(root)
	if err != nil {
		return err
	}
	scanned, err := pristine.Scan(root, []string{l.Dir})
	if err != nil {
		return err
	}
	for name, h := range scanned {
		sums[name] = h
	}
	return writeFile(root, pristine.File, sums.Format())
}

// modulePath reads the module path from root/go.mod.
func modulePath(root string) (string, error) {
	data, err := os.ReadFile(filepath.Join(root, "go.mod"))
	if err != nil {
		return "", err
	}
	sc := bufio.NewScanner(bytes.NewReader(data))
	for sc.Scan() {
		if m, ok := strings.CutPrefix(strings.TrimSpace(sc.Text()), "module "); ok {
			return strings.Trim(strings.TrimSpace(m), `"`), nil
		}
	}
	return "", errors.New("go.mod has no module line")
}

// lessonSkeleton returns the files of a new lesson: the room, and the
// solution's NOTES.md. Each part a human must write says TODO; the README
// has every section the lesson contract requires, in order, so that the
// verification's parts check finds only the solution and the mistakes
// missing.
func lessonSkeleton(l *catalog.Lesson, module string) []Doc {
	pkg := l.Package()
	room := "lessons/" + l.Dir + "/"
	var readme strings.Builder
	fmt.Fprintf(&readme, "# %02d · %s\n\nTODO: a short opening with a real example.\n", l.Number, l.Title)
	for _, s := range catalog.RequiredSections {
		fmt.Fprintf(&readme, "\n## %s\n\n", s)
		switch s {
		case "Picture":
			readme.WriteString("```mermaid\nsequenceDiagram\n    participant A as TODO\n    participant B as TODO\n    A->>B: TODO: the interleaving that goes wrong\n```\n")
		case "Tasks":
			fmt.Fprintf(&readme, "Open `%s.go`. Every place to change has a `// TODO:`.\n\n"+
				"1. **TODO: the first task.** What to build, and what the tests hold it to.\n   Tests: `TestTODO`.\n", l.Slug)
		case "Run the tests":
			fmt.Fprintf(&readme, "```sh\ngo test ./lessons/%s/\ngo test -race ./lessons/%s/\ngo run ./tools/kata check %d\n```\n", l.Dir, l.Dir, l.Number)
		default:
			readme.WriteString("TODO.\n")
		}
	}
	var hints strings.Builder
	fmt.Fprintf(&hints, "# Hints for %02d · %s\n", l.Number, l.Title)
	for i := 1; i <= verify.MinHints; i++ {
		fmt.Fprintf(&hints, "\n## Hint %d: TODO\n\nTODO: %s.\n", i, [...]string{"the concept, and where to look", "an approach", "nearly the answer, not the whole solution"}[min(i, 3)-1])
	}
	starter := fmt.Sprintf(`// Package %s is lesson %02d: TODO: what the learner builds, in one sentence.
package %s

// Answer is a placeholder for the lesson's API.
//
// TODO: replace it with the exercise's types and functions, their doc
// comments stating each contract.
func Answer() int {
	// TODO: the place the learner changes.
	return 0
}
`, pkg, l.Number, pkg)
	test := fmt.Sprintf(`package %s

import (
	"fmt"
	"testing"

	"%s/lessons/internal/katatest"
)

func TestMain(m *testing.M) { katatest.Main(m) }

// TestTODO fails on the starter, as every task's first test must.
//
// TODO: replace it with the lesson's tests.
func TestTODO(t *testing.T) {
	katatest.Bubble(t, 1, func(t *testing.T) {
		if got := Answer(); got != 42 {
			t.Error(katatest.Failure{
				Want:  "Answer returns 42",
				Got:   fmt.Sprint(got),
				Means: "TODO: what this failure means, in the words a learner would search for",
				Hint:  1,
			})
		}
	})
}
`, pkg, module)
	notes := fmt.Sprintf(`# Notes on %02d · %s

## Why the solution is correct

TODO.

## Alternatives

TODO.

## The known mistakes (in `+"`testdata/mistakes/`"+`)

%s
%s
`, l.Number, l.Title, mistakesTableStart, mistakesTableEnd)
	return []Doc{
		{room + "README.md", []byte(readme.String())},
		{room + "hints.md", []byte(hints.String())},
		{room + l.Slug + ".go", []byte(starter)},
		{room + l.Slug + "_test.go", []byte(test)},
		{catalog.SolutionsDir + "/" + l.Dir + "/" + NotesFile, []byte(notes)},
	}
}
