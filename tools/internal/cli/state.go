package cli

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"

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
	sums     pristine.Sums
	progress *progress.Progress
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
	return &course{Course: c, sums: sums, progress: p}, nil
}

func (e *Env) notice(msg string) {
	fmt.Fprintf(e.Stderr, "note: %s\n", msg)
}

// state says where the learner is with lesson l. A lesson whose starter
// files are all as published is "not started"; one whose files match those
// of its last check has that check's state; any other was changed since.
func (c *course) state(l *catalog.Lesson) (string, *progress.Lesson) {
	if l.Planned {
		return statePlanned, nil
	}
	rec := c.progress.Lessons[l.Dir]
	if rec != nil && rec.FilesHash != "" && rec.FilesHash == filesHash(l) {
		return rec.State, rec
	}
	if c.starterPristine(l) {
		return stateNotStarted, rec
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

// changedTests lists the lesson's test files that differ from the course's
// (edited, deleted, or added).
func (c *course) changedTests(l *catalog.Lesson) []string {
	cmp, err := c.sums.Compare(c.Root, l.Dir)
	if err != nil {
		return nil
	}
	var out []string
	for name, st := range cmp {
		if strings.HasSuffix(name, "_test.go") && st != pristine.Same {
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
	for _, name := range append(starters, tests...) {
		data, err := os.ReadFile(filepath.Join(l.Path(), name))
		if err != nil {
			return ""
		}
		h.Write([]byte(name + "\x00" + pristine.Hash(data) + "\n"))
	}
	return hex.EncodeToString(h.Sum(nil))
}

// next is the first available lesson that has not passed, or nil when all
// have.
func (c *course) next() *catalog.Lesson {
	for _, l := range c.Available() {
		if st, _ := c.state(l); st != statePassed {
			return l
		}
	}
	return nil
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
	l, err := c.Find(fs.Arg(0))
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
			return nil, err
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
