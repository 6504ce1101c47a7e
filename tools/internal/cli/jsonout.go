package cli

import (
	"encoding/json"
	"io"
	"time"

	"github.com/gokatas/concurrency/tools/internal/diagnose"
)

// writeJSON writes v as indented JSON: the --json output of every command.
func writeJSON(w io.Writer, v any) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(v)
}

// lessonJSON is a lesson in overview --json and list --json.
type lessonJSON struct {
	Lesson     string     `json:"lesson"`
	Number     int        `json:"number"`
	Title      string     `json:"title"`
	Part       int        `json:"part"`
	Node       string     `json:"node"`
	State      string     `json:"state"`
	Kind       string     `json:"kind,omitempty"`
	Tasks      []taskJSON `json:"tasks,omitempty"`
	HintsShown int        `json:"hints_shown,omitempty"` // how many hints were read
	HintsRead  []int      `json:"hints_read,omitempty"`  // which
	CheckedAt  time.Time  `json:"checked_at,omitzero"`
}

type taskJSON struct {
	Number int      `json:"number"`
	Title  string   `json:"title"`
	Tests  []string `json:"tests"`
	Passed bool     `json:"passed"`
	NotRun bool     `json:"not_run,omitempty"` // a test of it never ran at the last check
}

func (c *course) lessonsJSON() []lessonJSON {
	var out []lessonJSON
	for _, l := range c.Lessons {
		st, rec := c.state(l)
		lj := lessonJSON{Lesson: l.Dir, Number: l.Number, Title: l.Title, Part: l.Part.Number, Node: l.Node, State: st}
		done, notRun := map[int]bool{}, map[int]bool{}
		if rec != nil {
			lj.HintsShown, lj.HintsRead = len(rec.HintsRead), rec.HintsRead
			lj.CheckedAt = rec.CheckedAt
			if st == statePassed || st == stateFailing {
				lj.Kind = rec.Kind
				for _, n := range rec.TasksPassed {
					done[n] = true
				}
				for _, n := range rec.TasksNotRun {
					notRun[n] = true
				}
			}
		}
		if !l.Planned {
			tasks, _ := l.Tasks()
			for _, t := range tasks {
				lj.Tasks = append(lj.Tasks, taskJSON{Number: t.Number, Title: t.Title, Tests: t.Tests, Passed: done[t.Number], NotRun: notRun[t.Number]})
			}
		}
		out = append(out, lj)
	}
	return out
}

// checkJSON is one lesson in check --json.
type checkJSON struct {
	Lesson       string        `json:"lesson"`
	Passed       bool          `json:"passed"`
	Kind         string        `json:"kind"`
	Summary      string        `json:"summary"`
	Failures     []failureJSON `json:"failures,omitempty"`
	Evidence     string        `json:"evidence,omitempty"`
	Hint         int           `json:"hint,omitempty"`
	TasksPassed  []int         `json:"tasks_passed"`
	TasksNotRun  []int         `json:"tasks_not_run,omitempty"` // tasks with a test that never ran, none failed
	TasksTotal   int           `json:"tasks_total"`
	Reruns       []rerunJSON   `json:"reruns,omitempty"`  // tests run again after the test binary ended early
	NotRun       []string      `json:"not_run,omitempty"` // tests that never ran
	RaceChecked  bool          `json:"race_checked"`
	TestsChanged []string      `json:"tests_changed,omitempty"`
	Command      string        `json:"command"`
	Seconds      float64       `json:"seconds"`
}

type rerunJSON struct {
	Tests []string `json:"tests"`
	Why   string   `json:"why"`
}

type failureJSON struct {
	Test    string `json:"test"`
	Message string `json:"message"`
}

func (o *outcome) json() checkJSON {
	cj := checkJSON{
		Lesson: o.lesson.Dir, Passed: o.passed(), Kind: o.diag.Kind.Slug(), Summary: o.diag.Summary(),
		Evidence: o.diag.Evidence, Hint: o.diag.Hint, TasksTotal: len(o.tasks), TasksPassed: []int{},
		RaceChecked: o.race, TestsChanged: o.changedTests, Command: o.res.Command, Seconds: o.res.Duration.Seconds(),
	}
	if o.diag.Kind == diagnose.Passed && len(o.changedTests) > 0 {
		cj.Kind = "tests_changed"
	}
	for _, f := range o.diag.Failures {
		cj.Failures = append(cj.Failures, failureJSON{Test: f.Test, Message: f.Message})
	}
	for _, t := range o.tasks {
		if o.tasksPassed[t.Number] {
			cj.TasksPassed = append(cj.TasksPassed, t.Number)
		} else if o.notRun[t.Number] {
			cj.TasksNotRun = append(cj.TasksNotRun, t.Number)
		}
	}
	for _, r := range o.res.Reruns {
		cj.Reruns = append(cj.Reruns, rerunJSON{Tests: r.Tests, Why: r.Why})
	}
	cj.NotRun = o.res.NotRun
	return cj
}
