package cli

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/gokatas/concurrency/tools/internal/catalog"
	"github.com/gokatas/concurrency/tools/internal/pristine"
	"github.com/gokatas/concurrency/tools/internal/progress"
)

// Lesson states, as the overview shows them.
const (
	statePassed     = "passed"
	stateFailing    = "failing"
	stateNotStarted = "not started"
	stateChanged    = "changed since last check"
	statePlanned    = "coming later"
)

// course is everything a command needs to know about the course and the
// learner's place in it.
type course struct {
	*catalog.Course
	sums pristine.Sums
	env  *Env

	mu       sync.Mutex         // guards progress while lessons are checked at once
	progress *progress.Progress // the file as last read or written; never written back as is
}

func loadCourse(env *Env) (*course, error) {
	c, err := catalog.Load(env.Root)
	if err != nil {
		return nil, err
	}
	sums, err := pristine.Load(env.Root)
	if err != nil {
		return nil, err
	}
	p, notice, err := progress.Load(env.Root)
	if err != nil {
		return nil, err
	}
	if notice != "" {
		env.notice(notice)
	}
	return &course{Course: c, sums: sums, env: env, progress: p}, nil
}

// record changes the progress file's record of lesson l with change, in a
// read-modify-write under the file's lock (another tool process may have
// written since this one read it), and makes the result the course's view.
func (c *course) record(l *catalog.Lesson, change func(*progress.Lesson)) error {
	p, notice, err := progress.Update(c.Root, func(p *progress.Progress) error {
		change(p.Lesson(l.Dir))
		return nil
	})
	if notice != "" {
		c.env.notice(notice)
	}
	if err != nil {
		return err
	}
	c.mu.Lock()
	c.progress = p
	c.mu.Unlock()
	return nil
}

// find resolves a lesson name given on the command line; an unknown name
// is a usage error.
func (c *course) find(name string) (*catalog.Lesson, error) {
	l, err := c.Find(name)
	if err != nil {
		return nil, usageError{err}
	}
	return l, nil
}

// here is the lesson whose directory (lessons/NN_slug or below) the tool
// was started in, or nil.
func (c *course) here() *catalog.Lesson {
	rel, err := filepath.Rel(filepath.Join(c.Root, catalog.LessonsDir), c.env.Dir)
	if err != nil || rel == "." || strings.HasPrefix(rel, "..") {
		return nil
	}
	dir, _, _ := strings.Cut(filepath.ToSlash(rel), "/")
	for _, l := range c.Available() {
		if l.Dir == dir {
			return l
		}
	}
	return nil
}

func (e *Env) notice(msg string) {
	fmt.Fprintf(e.Stderr, "note: %s\n", msg)
}

// state says where the learner is with lesson l. A lesson whose starter
// files are all as published is "not started", checked or not (a starter
// always fails); one whose files match those of its last check has that
// check's state; any other was changed since.
func (c *course) state(l *catalog.Lesson) (string, *progress.Lesson) {
	if l.Planned {
		return statePlanned, nil
	}
	rec := c.progress.Lessons[l.Dir]
	if c.starterPristine(l) {
		return stateNotStarted, rec
	}
	if rec != nil && rec.FilesHash != "" && rec.FilesHash == filesHash(l) {
		return rec.State, rec
	}
	return stateChanged, rec
}

// starterPristine reports whether every starter file of l is as published.
func (c *course) starterPristine(l *catalog.Lesson) bool {
	cmp, err := c.sums.Compare(c.Root, l.Dir)
	if err != nil {
		return false
	}
	starters, _, _ := l.Files()
	for _, name := range starters {
		if cmp[name] != pristine.Same {
			return false
		}
	}
	return true
}

// changedTests lists the lesson's protected files (tests and contract
// files) that differ from the course's (edited, deleted, or added).
func (c *course) changedTests(l *catalog.Lesson) []string {
	cmp, err := c.sums.Compare(c.Root, l.Dir)
	if err != nil {
		return nil
	}
	var out []string
	for name, st := range cmp {
		if l.Protected(name) && st != pristine.Same {
			out = append(out, name+" ("+st.String()+")")
		}
	}
	sort.Strings(out)
	return out
}

// filesHash is a hash of the lesson's Go files, names and contents, so that
// a check's result is known to still hold while it is unchanged.
func filesHash(l *catalog.Lesson) string {
	starters, tests, err := l.Files()
	if err != nil {
		return ""
	}
	h := sha256.New()
	for _, name := range slices.Concat(starters, l.ContractFiles(), tests) {
		data, err := os.ReadFile(filepath.Join(l.Path(), name))
		if err != nil {
			return ""
		}
		h.Write([]byte(name + "\x00" + pristine.Hash(data) + "\n"))
	}
	return hex.EncodeToString(h.Sum(nil))
}

// filesToEdit names the files the learner edits in l, for a header or a
// next step: "lessons/05_lost_update/: atomic.go, locked.go, optimistic.go".
func filesToEdit(l *catalog.Lesson) string {
	return "lessons/" + l.Dir + "/: " + strings.Join(l.EditFiles(), ", ")
}

// next is the lesson to work on: the current lesson (see current) if it
// has not passed, else the first lesson after it that has not passed,
// wrapping round to the start only when every later one has; nil when all
// have passed.
func (c *course) next() *catalog.Lesson {
	cur := c.current()
	if cur == nil {
		return c.after(nil)
	}
	if st, _ := c.state(cur); st != statePassed {
		return cur
	}
	return c.after(cur)
}

// after is the first lesson after l (nil: from the start) that has not
// passed, wrapping round; never l itself. nil when there is none.
func (c *course) after(l *catalog.Lesson) *catalog.Lesson {
	avail := c.Available()
	start := 0
	for i, a := range avail {
		if a == l {
			start = i + 1
		}
	}
	for i := range avail {
		a := avail[(start+i)%len(avail)]
		if st, _ := c.state(a); a != l && st != statePassed {
			return a
		}
	}
	return nil
}

// current is the lesson the learner last worked on: of the started
// lessons, the one checked last (the lowest-numbered of those checked in
// the same second, as by 'check all'); nil if none was checked.
func (c *course) current() *catalog.Lesson {
	var cur *catalog.Lesson
	var at time.Time
	for _, l := range c.Available() {
		rec := c.progress.Lessons[l.Dir]
		if rec == nil || rec.CheckedAt.IsZero() || !rec.CheckedAt.After(at) {
			continue
		}
		if st, _ := c.state(l); st == stateNotStarted {
			continue
		}
		cur, at = l, rec.CheckedAt
	}
	return cur
}

// oneLesson loads the course and resolves the command's single lesson
// argument; a missing or extra argument prints the usage.
func oneLesson(env *Env, fs *flag.FlagSet) (*course, *catalog.Lesson, error) {
	if fs.NArg() != 1 {
		fs.Usage()
		return nil, nil, errUsage
	}
	c, err := loadCourse(env)
	if err != nil {
		return nil, nil, err
	}
	l, err := c.find(fs.Arg(0))
	if err != nil {
		return nil, nil, err
	}
	return c, l, nil
}

// named resolves lesson names to lessons; no names means every lesson that
// exists.
func named(c *catalog.Course, names []string) ([]*catalog.Lesson, error) {
	if len(names) == 0 {
		return c.Available(), nil
	}
	var out []*catalog.Lesson
	for _, name := range names {
		l, err := c.Find(name)
		if err != nil {
			return nil, usageError{err}
		}
		out = append(out, l)
	}
	return out, nil
}

// useRace reports whether to run with -race: asked for, and possible here.
// When it is not possible it says so, once, with the reason.
func useRace(ctx context.Context, env *Env, noRace bool) bool {
	if noRace {
		return false
	}
	ok, reason := raceSupport(ctx)
	if !ok {
		env.notice("races are not being checked: " + reason + ". Results are marked \"not race-checked\".")
	}
	return ok
}
