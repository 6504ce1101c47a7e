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
	HintsShown int        `json:"hints_shown,omitempty"`
	CheckedAt  time.Time  `json:"checked_at,omitzero"`
}

type taskJSON struct {
	Number int      `json:"number"`
	Title  string   `json:"title"`
	Tests  []string `json:"tests"`
	Passed bool     `json:"passed"`
}

func (c *course) lessonsJSON() []lessonJSON {
	var out []lessonJSON
	for _, l := range c.Lessons {
		st, rec := c.state(l)
		lj := lessonJSON{Lesson: l.Dir, Number: l.Number, Title: l.Title, Part: l.Part.Number, Node: l.Node, State: st}
		done := map[int]bool{}
		if rec != nil {
			lj.HintsShown = rec.HintsShown
			lj.CheckedAt = rec.CheckedAt
			if st == statePassed || st == stateFailing {
				lj.Kind = rec.Kind
				for _, n := range rec.TasksPassed {
					done[n] = true
				}
			}
		}
		if !l.Planned {
			tasks, _ := l.Tasks()
			for _, t := range tasks {
				lj.Tasks = append(lj.Tasks, taskJSON{Number: t.Number, Title: t.Title, Tests: t.Tests, Passed: done[t.Number]})
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
	TasksTotal   int           `json:"tasks_total"`
	RaceChecked  bool          `json:"race_checked"`
	TestsChanged []string      `json:"tests_changed,omitempty"`
	Command      string        `json:"command"`
	Seconds      float64       `json:"seconds"`
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
		}
	}
	return cj
}
