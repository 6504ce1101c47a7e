// Package catalog describes the course as it stands on disk: its parts and
// lessons (from lessons/course.json, the one source of lesson metadata), the
// files each lesson declares, the tasks its README numbers, its hints, its
// solution and its known mistakes.
//
// A lesson's files are of three kinds. The files the learner edits ("edit"
// in course.json) are the only starters: they alone are reset, mirrored in
// solutions/ and replaced by known mistakes. Contract files ("contract") are
// fixed non-test code the tests rely on, protected like the tests. Test files
// are the *_test.go files.
package catalog

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"time"
)

// File names and directories that make up the course.
const (
	CourseFile   = "lessons/course.json"
	LessonsDir   = "lessons"
	SolutionsDir = "solutions"
	MistakesDir  = "testdata/mistakes"
)

// Course is the whole course. Root is the repository root.
type Course struct {
	Root    string
	Title   string
	Parts   []*Part
	Lessons []*Lesson // every lesson of every part, in order
}

// Part is one part of the course.
type Part struct {
	Number  int
	Title   string
	Lessons []*Lesson
}

// Lesson is one lesson. A lesson that course.json lists but whose directory
// does not exist yet is Planned.
type Lesson struct {
	Number  int    // from the directory name: 5 for "05_lost_update"
	Slug    string // "lost_update"
	Dir     string // "05_lost_update"
	Title   string
	Node    string // the Node.js idea it answers
	Minutes int    // time to budget
	Part    *Part
	Planned bool

	// Edit names the files the learner edits, the lesson's only starter
	// files; Contract names its fixed non-test files. Both are file names
	// in the lesson directory, sorted.
	Edit     []string
	Contract []string
	// Budget is how long one run of the solution's tests may take in the
	// course verification; zero means the verification's default.
	Budget time.Duration

	root string
}

// courseJSON and lessonJSON are course.json as it is written: the field
// order here is the order Format writes.
type courseJSON struct {
	Title string     `json:"title"`
	Parts []partJSON `json:"parts"`
}

type partJSON struct {
	Number  int          `json:"number"`
	Title   string       `json:"title"`
	Lessons []lessonJSON `json:"lessons"`
}

type lessonJSON struct {
	Dir      string   `json:"dir"`
	Title    string   `json:"title"`
	Node     string   `json:"node"`
	Minutes  int      `json:"minutes"`
	Edit     []string `json:"edit,omitempty"`
	Contract []string `json:"contract,omitempty"`
	Budget   string   `json:"budget,omitempty"`
}

// Load reads the course rooted at root (the directory holding go.mod).
// It checks that course.json and the lesson directories agree: a lesson
// directory that course.json does not list is an error.
func Load(root string) (*Course, error) {
	data, err := os.ReadFile(filepath.Join(root, filepath.FromSlash(CourseFile)))
	if err != nil {
		return nil, fmt.Errorf("reading the course catalogue: %w", err)
	}
	var cj courseJSON
	if err := json.Unmarshal(data, &cj); err != nil {
		return nil, fmt.Errorf("%s: %w", CourseFile, err)
	}
	c := &Course{Root: root, Title: cj.Title}
	seen := map[string]bool{}
	for _, pj := range cj.Parts {
		p := &Part{Number: pj.Number, Title: pj.Title}
		for _, lj := range pj.Lessons {
			num, slug, err := ParseDir(lj.Dir)
			if err != nil {
				return nil, fmt.Errorf("%s: %w", CourseFile, err)
			}
			if seen[lj.Dir] {
				return nil, fmt.Errorf("%s: lesson %s listed twice", CourseFile, lj.Dir)
			}
			seen[lj.Dir] = true
			l := &Lesson{Number: num, Slug: slug, Dir: lj.Dir, Title: lj.Title, Node: lj.Node,
				Minutes: lj.Minutes, Part: p, root: root,
				Edit: slices.Sorted(slices.Values(lj.Edit)), Contract: slices.Sorted(slices.Values(lj.Contract))}
			if _, err := os.Stat(l.Path()); errors.Is(err, os.ErrNotExist) {
				l.Planned = true
			}
			if err := l.declare(lj); err != nil {
				return nil, fmt.Errorf("%s: lesson %s: %w", CourseFile, lj.Dir, err)
			}
			p.Lessons = append(p.Lessons, l)
			c.Lessons = append(c.Lessons, l)
		}
		c.Parts = append(c.Parts, p)
	}
	entries, err := os.ReadDir(filepath.Join(root, LessonsDir))
	if err != nil {
		return nil, err
	}
	for _, e := range entries {
		if _, _, err := ParseDir(e.Name()); err == nil && e.IsDir() && !seen[e.Name()] {
			return nil, fmt.Errorf("lesson directory %s is not listed in %s", e.Name(), CourseFile)
		}
	}
	return c, nil
}

// ParseDir splits a lesson directory name such as "05_lost_update" into its
// number and slug.
func ParseDir(dir string) (int, string, error) {
	num, slug, ok := strings.Cut(dir, "_")
	n, err := strconv.Atoi(num)
	if !ok || err != nil || len(num) != 2 || slug == "" || slug != strings.ToLower(slug) {
		return 0, "", fmt.Errorf("%q is not a lesson directory name (NN_slug)", dir)
	}
	return n, slug, nil
}

// Available returns the lessons that exist on disk, in course order.
func (c *Course) Available() []*Lesson {
	var out []*Lesson
	for _, l := range c.Lessons {
		if !l.Planned {
			out = append(out, l)
		}
	}
	return out
}

// Find returns the lesson that name refers to: its number ("5" or "05"),
// its slug ("lost_update"), its directory name ("05_lost_update"), or its
// package name ("lostupdate").
func (c *Course) Find(name string) (*Lesson, error) {
	name = strings.TrimSuffix(strings.TrimPrefix(filepath.ToSlash(name), "lessons/"), "/")
	n, numErr := strconv.Atoi(name)
	for _, l := range c.Lessons {
		if (numErr == nil && l.Number == n) || name == l.Slug || name == l.Dir || name == l.Package() {
			if l.Planned {
				return nil, fmt.Errorf("lesson %s (%s) is planned but not written yet", l.Dir, l.Title)
			}
			return l, nil
		}
	}
	return nil, fmt.Errorf("no lesson %q: name a lesson by number (1 or 01), slug (goroutines) or directory (01_goroutines)", name)
}

// Package is the lesson's Go package name: the slug without underscores.
func (l *Lesson) Package() string { return strings.ReplaceAll(l.Slug, "_", "") }

// Path is the lesson's directory on disk.
func (l *Lesson) Path() string { return filepath.Join(l.root, LessonsDir, l.Dir) }

// SolutionPath is the directory of the lesson's solution.
func (l *Lesson) SolutionPath() string { return filepath.Join(l.root, SolutionsDir, l.Dir) }

// ImportPath is the package path relative to the module root, as go test
// takes it: "./lessons/05_lost_update".
func (l *Lesson) ImportPath() string { return "./" + LessonsDir + "/" + l.Dir }

// Name is how the course names a lesson to a learner: "05 · Lost update".
func (l *Lesson) Name() string { return fmt.Sprintf("%02d · %s", l.Number, l.Title) }

// declare checks the files and budget that course.json declares for l. An
// available lesson must name at least one file to edit.
func (l *Lesson) declare(lj lessonJSON) error {
	if lj.Budget != "" {
		d, err := time.ParseDuration(lj.Budget)
		if err != nil || d <= 0 {
			return fmt.Errorf("budget %q is not a positive duration such as \"5s\"", lj.Budget)
		}
		l.Budget = d
	}
	if !l.Planned && len(l.Edit) == 0 {
		return fmt.Errorf(`no "edit" list: name the file(s) the learner edits, such as ["%s.go"]`, l.Slug)
	}
	seen := map[string]bool{}
	for _, name := range append(slices.Clone(l.Edit), l.Contract...) {
		switch {
		case name != filepath.Base(name) || !strings.HasSuffix(name, ".go"):
			return fmt.Errorf("%q is not a .go file name in the lesson directory", name)
		case strings.HasSuffix(name, "_test.go"):
			return fmt.Errorf("%q is a test file: tests are not declared, every *_test.go file is one", name)
		case seen[name]:
			return fmt.Errorf("%q is declared twice", name)
		}
		seen[name] = true
	}
	return nil
}

// EditFiles names the files the learner edits: the lesson's only starter
// files. They alone are hashed as starters, restored by reset, mirrored in
// solutions/, and replaced by known mistakes.
func (l *Lesson) EditFiles() []string { return l.Edit }

// ContractFiles names the lesson's fixed non-test files (a store the tests
// drive, a shared type). They are protected like the tests: a learner who
// changes one has changed what the tests check.
func (l *Lesson) ContractFiles() []string { return l.Contract }

// Protected reports whether the lesson file name is one the learner must not
// change: a test file or a contract file.
func (l *Lesson) Protected(name string) bool {
	return strings.HasSuffix(name, "_test.go") || slices.Contains(l.Contract, name)
}

// Files lists the lesson's starter files (EditFiles) and the test files on
// disk, each sorted by name.
func (l *Lesson) Files() (starters, tests []string, err error) {
	entries, err := os.ReadDir(l.Path())
	if err != nil {
		return nil, nil, err
	}
	for _, e := range entries {
		if !e.IsDir() && strings.HasSuffix(e.Name(), "_test.go") {
			tests = append(tests, e.Name())
		}
	}
	return l.Edit, tests, nil
}

// SolutionFiles lists the Go files of the lesson's solution directory.
// For a complete lesson they are exactly EditFiles.
func (l *Lesson) SolutionFiles() ([]string, error) {
	entries, err := os.ReadDir(l.SolutionPath())
	if err != nil {
		return nil, err
	}
	var out []string
	for _, e := range entries {
		if !e.IsDir() && strings.HasSuffix(e.Name(), ".go") && !strings.HasSuffix(e.Name(), "_test.go") {
			out = append(out, e.Name())
		}
	}
	return out, nil
}
