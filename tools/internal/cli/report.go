package cli

import (
	"context"
	"encoding/json"
	"os"
	"os/exec"
	"runtime"
	"strings"
	"time"
)

// Report is a learner's progress as `kata report` writes it, for an
// instructor to collect. Its fields are a stable format: `kata class` reads
// them back.
type Report struct {
	Format        int            `json:"format"` // 1
	Learner       string         `json:"learner"`
	Course        string         `json:"course"`
	GeneratedAt   time.Time      `json:"generated_at"`
	GoVersion     string         `json:"go_version"`
	RaceAvailable bool           `json:"race_available"`
	Lessons       []LessonReport `json:"lessons"`
}

// LessonReport is one lesson in a Report.
type LessonReport struct {
	Lesson      string    `json:"lesson"` // directory: "01_goroutines"
	Title       string    `json:"title"`
	State       string    `json:"state"`          // passed, failing, not started, changed since last check
	Kind        string    `json:"kind,omitempty"` // failure kind at the last check
	TasksPassed int       `json:"tasks_passed"`
	TasksNotRun int       `json:"tasks_not_run,omitempty"` // tasks with a test that never ran at the last check
	TasksTotal  int       `json:"tasks_total"`
	HintsUsed   int       `json:"hints_used"` // hints actually shown
	LastCheck   time.Time `json:"last_check,omitzero"`
	RaceChecked bool      `json:"race_checked"`
	TestsEdited bool      `json:"tests_edited,omitempty"`
}

func init() {
	register(&command{
		name:    "report",
		summary: "your progress as JSON, for your instructor",
		help: "Prints your progress as JSON: each lesson's state, tasks passed, hints used, the\n" +
			"time of the last check, the Go version, and whether races were checked. Send the\n" +
			"file to your instructor, who merges the class's files with 'kata class'.",
		run: runReport,
	})
}

func runReport(ctx context.Context, env *Env, args []string) error {
	fs := flags("report", env)
	name := fs.String("name", "", "your name as the instructor should see it (default: git config user.name)")
	fs.Bool("json", true, "print JSON (the only format; accepted as every data command accepts it)")
	if err := parse(fs, args); err != nil {
		return err
	}
	c, err := loadCourse(env)
	if err != nil {
		return err
	}
	r := Report{Format: 1, Learner: *name, Course: c.Title, GeneratedAt: time.Now().UTC().Truncate(time.Second), GoVersion: runtime.Version()}
	if r.Learner == "" {
		r.Learner = learnerName(c.Root)
	}
	r.RaceAvailable, _ = raceSupport(ctx)
	for _, l := range c.Available() {
		st, rec := c.state(l)
		lr := LessonReport{Lesson: l.Dir, Title: l.Title, State: st}
		if tasks, err := l.Tasks(); err == nil {
			lr.TasksTotal = len(tasks)
		}
		if rec != nil {
			lr.HintsUsed = len(rec.HintsRead)
			lr.LastCheck = rec.CheckedAt
			if st == statePassed || st == stateFailing {
				lr.Kind = rec.Kind
				lr.TasksPassed = len(rec.TasksPassed)
				lr.TasksNotRun = len(rec.TasksNotRun)
				lr.RaceChecked = rec.RaceChecked
				lr.TestsEdited = rec.TestsEdited
			}
		}
		r.Lessons = append(r.Lessons, lr)
	}
	enc := json.NewEncoder(env.Stdout)
	enc.SetIndent("", "  ")
	return enc.Encode(r)
}

// learnerName is git's user.name for the repository, or the login name.
func learnerName(root string) string {
	cmd := exec.Command("git", "config", "user.name")
	cmd.Dir = root
	if out, err := cmd.Output(); err == nil && strings.TrimSpace(string(out)) != "" {
		return strings.TrimSpace(string(out))
	}
	for _, v := range []string{"USER", "USERNAME"} {
		if s := os.Getenv(v); s != "" {
			return s
		}
	}
	return "unknown"
}
