package cli

import (
	"context"
	"fmt"
	"strings"

	"github.com/gokatas/concurrency/tools/internal/catalog"
	"github.com/gokatas/concurrency/tools/internal/progress"
)

func init() {
	register(&command{
		name:    "overview",
		summary: "the course at a glance: progress, every lesson's state, what to do next",
		help: "Shows a progress bar, each part and lesson with its state, and the next lesson.\n" +
			"States come from your last check of each lesson: a lesson whose files changed\n" +
			"since then says so. Nothing is run; 'check' runs the tests.",
		run: runOverview,
	})
	register(&command{
		name:    "list",
		summary: "every lesson on one line, with its tasks",
		help:    "Lists every lesson with its state and which of its tasks passed at the last check.",
		run:     runList,
	})
}

func runOverview(ctx context.Context, env *Env, args []string) error {
	fs := flags("overview", env)
	asJSON := fs.Bool("json", false, "print the course and your progress as JSON")
	if err := parse(fs, args); err != nil {
		return err
	}
	c, err := loadCourse(env)
	if err != nil {
		return err
	}
	if *asJSON {
		next := ""
		if n := c.next(); n != nil {
			next = n.Dir
		}
		return writeJSON(env.Stdout, struct {
			Course  string       `json:"course"`
			Next    string       `json:"next,omitempty"`
			Lessons []lessonJSON `json:"lessons"`
		}{c.Title, next, c.lessonsJSON()})
	}
	w := env.Stdout
	avail := c.Available()
	passed := 0
	for _, l := range avail {
		if st, _ := c.state(l); st == statePassed {
			passed++
		}
	}
	fmt.Fprintf(w, "%s  %s %d of %d lessons passed\n", paint(w, bold, c.Title), bar(passed, len(avail), 20), passed, len(avail))
	for _, p := range c.Parts {
		fmt.Fprintf(w, "\nPart %d. %s\n", p.Number, p.Title)
		for _, l := range p.Lessons {
			st, rec := c.state(l)
			detail := st
			changed := !l.Planned && len(c.changedTests(l)) > 0
			if st == stateFailing && rec != nil && rec.Kind != "" && rec.Kind != "tests_changed" {
				detail += ": " + strings.ReplaceAll(rec.Kind, "_", " ")
			}
			if changed {
				detail += paint(w, yellow, " (tests changed: a pass will not count)")
			}
			fmt.Fprintf(w, "  %-28s %s\n", l.Name(), paint(w, stateColour(st), detail))
		}
	}
	fmt.Fprintln(w)
	if n := c.next(); n != nil {
		fmt.Fprintf(w, "Next: %s\n  read lessons/%s/README.md, edit %s\n  then run: go run ./tools/kata check %d\n",
			n.Name(), n.Dir, filesToEdit(n), n.Number)
	} else {
		fmt.Fprintln(w, "Every lesson that exists has passed. Well done.")
	}
	return nil
}

func runList(ctx context.Context, env *Env, args []string) error {
	fs := flags("list", env)
	asJSON := fs.Bool("json", false, "print the lessons as JSON")
	if err := parse(fs, args); err != nil {
		return err
	}
	c, err := loadCourse(env)
	if err != nil {
		return err
	}
	if *asJSON {
		return writeJSON(env.Stdout, c.lessonsJSON())
	}
	w := env.Stdout
	for _, l := range c.Lessons {
		st, rec := c.state(l)
		fmt.Fprintf(w, "%-28s %-26s %s\n", l.Name(), paint(w, stateColour(st), st), taskMarks(l, rec, st))
	}
	return nil
}

// taskMarks shows each task at the last check as passed (✓), failed (✗)
// or without a verdict (·: a test of it never ran, or the lesson's files
// changed since), with the count: "tasks 1/3 ✓✗·".
func taskMarks(l *catalog.Lesson, rec *progress.Lesson, st string) string {
	if l.Planned {
		return ""
	}
	tasks, err := l.Tasks()
	if err != nil {
		return "(README: " + err.Error() + ")"
	}
	checked := rec != nil && (st == statePassed || st == stateFailing)
	done, notRun := map[int]bool{}, map[int]bool{}
	if checked {
		for _, n := range rec.TasksPassed {
			done[n] = true
		}
		for _, n := range rec.TasksNotRun {
			notRun[n] = true
		}
	}
	var marks strings.Builder
	count := 0
	for _, t := range tasks {
		switch {
		case done[t.Number]:
			marks.WriteString("✓")
			count++
		case checked && !notRun[t.Number]:
			marks.WriteString("✗")
		default:
			marks.WriteString("·")
		}
	}
	return fmt.Sprintf("tasks %d/%d %s", count, len(tasks), marks.String())
}

// bar draws a progress bar of width cells.
func bar(done, total, width int) string {
	filled := 0
	if total > 0 {
		filled = done * width / total
	}
	return "[" + strings.Repeat("#", filled) + strings.Repeat(".", width-filled) + "]"
}
