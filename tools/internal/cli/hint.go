package cli

import (
	"context"
	"fmt"
	"strconv"
	"time"

	"github.com/gokatas/concurrency/tools/internal/catalog"
	"github.com/gokatas/concurrency/tools/internal/progress"
)

func init() {
	register(&command{
		name:    "hint",
		args:    "[N|slug|next] [K]",
		summary: "show a lesson's hints, one at a time",
		help: "Shows the first hint of the lesson you have not read yet, and remembers it. Hints go\n" +
			"from a nudge to nearly the answer: read one, then try again. 'hint N K' shows hint K\n" +
			"(the one a failing check names); --all shows every hint you have read. With no\n" +
			"lesson named, it is the lesson you are working on: the one whose directory you are\n" +
			"in, or else the one you checked last that has not passed. A lesson you have not\n" +
			"started gives a hint only when you name it.",
		run: runHint,
	})
}

func runHint(ctx context.Context, env *Env, args []string) error {
	fs := flags("hint", env)
	all := fs.Bool("all", false, "show every hint already read, instead of a new one")
	if err := parse(fs, args); err != nil {
		return err
	}
	c, err := loadCourse(env)
	if err != nil {
		return err
	}
	rest := fs.Args()
	if len(rest) > 2 {
		return usagef("name one lesson, and at most one hint number")
	}
	var l *catalog.Lesson
	if len(rest) == 0 {
		if l = c.workingOn(); l == nil {
			return c.noLessonInProgress()
		}
	} else {
		lessons, err := c.pick(rest[:1])
		if err != nil {
			return err
		}
		if len(lessons) != 1 {
			return usagef("name one lesson")
		}
		l = lessons[0]
	}
	hints, err := l.Hints()
	if err != nil {
		return err
	}
	if len(hints) == 0 {
		return fmt.Errorf("lesson %s has no hints", l.Dir)
	}
	w := env.Stdout
	show := func(k int) {
		h := hints[k-1]
		fmt.Fprintf(w, "%s\n\n%s\n\n", paint(w, bold, fmt.Sprintf("%s, hint %d of %d: %s", l.Name(), k, len(hints), h.Title)), h.Text)
	}
	if *all {
		var read []int
		if rec := c.progress.Lessons[l.Dir]; rec != nil {
			read = rec.HintsRead
		}
		if len(read) == 0 {
			fmt.Fprintf(w, "No hint of %s read yet. Run: go run ./tools/kata hint %d\n", l.Name(), l.Number)
			return nil
		}
		for _, k := range read {
			if k <= len(hints) {
				show(k)
			}
		}
		return nil
	}
	k := 0 // the hint to show: the one named, or the first not read, chosen under the lock
	if len(rest) == 2 {
		n, err := strconv.Atoi(rest[1])
		if err != nil || n < 1 || n > len(hints) {
			return usagef("%s has hints 1 to %d, not %q", l.Name(), len(hints), rest[1])
		}
		k = n
	}
	named, allRead := k != 0, false
	if err := c.record(l, func(rec *progress.Lesson) {
		if !named {
			k, allRead = firstUnread(rec, len(hints))
		}
		rec.ReadHint(k)
	}); err != nil {
		return err
	}
	show(k)
	switch next, none := firstUnread(c.progress.Lessons[l.Dir], len(hints)); {
	case allRead:
		fmt.Fprintf(w, "That was the last hint, and you have read them all. The reference solution opens once the lesson passes:\n  go run ./tools/kata solution %d\n", l.Number)
	case none:
		fmt.Fprintf(w, "You have now read every hint. Try it, then run: go run ./tools/kata check %d\n", l.Number)
	default:
		fmt.Fprintf(w, "Try it, then run: go run ./tools/kata check %d   (next hint: go run ./tools/kata hint %d %d)\n", l.Number, l.Number, next)
	}
	return nil
}

// firstUnread is the first hint of rec's lesson (of n) not read yet; when
// every one has been read it is the last, and allRead is true.
func firstUnread(rec *progress.Lesson, n int) (k int, allRead bool) {
	for k := 1; k <= n; k++ {
		if rec == nil || !rec.HasRead(k) {
			return k, false
		}
	}
	return n, true
}

// workingOn is the lesson a bare 'hint' is about: the lesson of the working
// directory, or else the lesson checked last that has not passed (and is
// not back to its starter). nil if there is none.
func (c *course) workingOn() *catalog.Lesson {
	if l := c.here(); l != nil {
		return l
	}
	var last *catalog.Lesson
	var at time.Time
	for _, l := range c.Available() {
		rec := c.progress.Lessons[l.Dir]
		if rec == nil || !rec.CheckedAt.After(at) {
			continue
		}
		if st, _ := c.state(l); st == stateFailing || st == stateChanged {
			last, at = l, rec.CheckedAt
		}
	}
	return last
}

// noLessonInProgress explains, without using up a hint, why a bare 'hint'
// has no lesson, and how to ask for one.
func (c *course) noLessonInProgress() error {
	n := c.next()
	if n == nil {
		return usagef("every lesson has passed; name one to read its hints: go run ./tools/kata hint N")
	}
	return usagef("no lesson is in progress (none you checked is failing), so no hint was used.\n"+
		"The next lesson is %s. Read lessons/%s/README.md and check it (go run ./tools/kata check %d),\n"+
		"or ask for its first hint by name: go run ./tools/kata hint %d", n.Name(), n.Dir, n.Number, n.Number)
}
