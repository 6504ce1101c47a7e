package cli

import (
	"context"
	"fmt"
	"io"
	"path/filepath"
	"runtime"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/gokatas/concurrency/tools/internal/catalog"
	"github.com/gokatas/concurrency/tools/internal/diagnose"
	"github.com/gokatas/concurrency/tools/internal/gotest"
	"github.com/gokatas/concurrency/tools/internal/progress"
)

// binDir keeps the lessons' test binaries between checks, below the
// repository root, so that a check of an unchanged lesson skips the link.
const binDir = ".kata/bin"

// CheckTimeout bounds a lesson's tests when the course tool runs them; the
// compile step before it has a bound of its own.
var CheckTimeout = 30 * time.Second

// RerunTimeout bounds, in all, the runs again of tests that a lesson's test
// binary never reached because it ended early (a panic, a leak in a
// synctest bubble, the watchdog's exit): see gotest.Options.Rerun.
var RerunTimeout = 30 * time.Second

func init() {
	register(&command{
		name:    "check",
		args:    "[N|slug|next|all]",
		summary: "run a lesson's tests and say what happened, in plain words",
		help: "Runs the lesson's tests (with -race where the machine supports it) and says what\n" +
			"happened: passed, a test failed, a data race, a deadlock or hang, a goroutine leak,\n" +
			"a panic, a compile error, or tests that were changed. Each points to the hint that\n" +
			"fits. When the test binary ends before every test ran (a panic, a leak in a bubble),\n" +
			"the tests it never reached run again in a new process, so every task gets a verdict;\n" +
			"a test that still never ran is shown as not run. Name the lesson by number (1 or 01),\n" +
			"slug (goroutines) or 'next'; with no name, the lesson of the directory you are in, or\n" +
			"else the next one. 'all' checks every lesson, several at once. Exits 0 only if every\n" +
			"lesson checked passed, 1 if one failed.",
		run: runCheck,
	})
}

type checkFlags struct {
	noRace  bool
	verbose bool
	json    bool
}

func runCheck(ctx context.Context, env *Env, args []string) error {
	fs := flags("check", env)
	var f checkFlags
	fs.BoolVar(&f.noRace, "no-race", false, "run without the race detector")
	fs.BoolVar(&f.verbose, "verbose", false, "also print go test's own output")
	fs.BoolVar(&f.json, "json", false, "print the results as JSON")
	if err := parse(fs, args); err != nil {
		return err
	}
	c, err := loadCourse(env)
	if err != nil {
		return err
	}
	lessons, err := c.pick(fs.Args())
	if err != nil {
		return err
	}
	race := useRace(ctx, env, f.noRace)
	outcomes := make([]*outcome, len(lessons))
	sem := make(chan struct{}, runtime.NumCPU())
	var wg sync.WaitGroup
	for i, l := range lessons {
		wg.Go(func() {
			sem <- struct{}{}
			defer func() { <-sem }()
			outcomes[i] = c.checkLesson(ctx, l, race)
		})
	}
	wg.Wait()
	passed, failed, notStarted := 0, 0, 0
	var results []checkJSON
	for _, o := range outcomes {
		if o.err != nil {
			return o.err
		}
		if f.json {
			results = append(results, o.json())
		} else {
			o.render(env.Stdout, f.verbose, len(lessons) > 1)
		}
		switch {
		case o.passed():
			passed++
		case o.notStarted:
			notStarted++
		default:
			failed++
		}
	}
	if f.json {
		if err := writeJSON(env.Stdout, results); err != nil {
			return err
		}
	}
	if len(lessons) > 1 && !f.json {
		fmt.Fprintf(env.Stdout, "\n%d passed, %d failed, %d not started\n", passed, failed, notStarted)
	}
	if passed < len(lessons) {
		return &ExitError{Code: exitFailed}
	}
	return nil
}

// pick resolves the check command's argument to lessons.
func (c *course) pick(args []string) ([]*catalog.Lesson, error) {
	if len(args) > 1 {
		return nil, usagef("name one lesson, or 'all'")
	}
	name := "next"
	if len(args) == 1 {
		name = args[0]
	} else if l := c.here(); l != nil {
		return []*catalog.Lesson{l}, nil
	}
	switch name {
	case "all":
		return c.Available(), nil
	case "next":
		if n := c.next(); n != nil {
			return []*catalog.Lesson{n}, nil
		}
		return nil, usagef("every lesson has passed; name one to check it again")
	}
	l, err := c.find(name)
	if err != nil {
		return nil, err
	}
	return []*catalog.Lesson{l}, nil
}

// outcome is one lesson's check.
type outcome struct {
	lesson       *catalog.Lesson
	res          *gotest.Result
	diag         diagnose.Diagnosis
	tasks        []catalog.Task
	tasksPassed  map[int]bool
	notRun       map[int]bool // tasks with no failed test but a test that never ran
	notStarted   bool         // the starter files are as published
	changedTests []string
	race         bool
	edit         []string // the files the learner edits
	err          error
}

func (o *outcome) passed() bool {
	return o.err == nil && o.diag.Kind == diagnose.Passed && len(o.changedTests) == 0
}

// checkLesson runs lesson l's tests, running again those the test binary
// never reached, and records the outcome in the progress file.
func (c *course) checkLesson(ctx context.Context, l *catalog.Lesson, race bool) *outcome {
	o := &outcome{lesson: l, race: race, changedTests: c.changedTests(l), notStarted: c.starterPristine(l)}
	res, err := gotest.Run(ctx, gotest.Options{Dir: c.Root, Package: l.ImportPath(), Race: race, Timeout: CheckTimeout, Test2JSON: test2json(ctx, c.Root),
		BinDir: filepath.Join(c.Root, filepath.FromSlash(binDir)), Rerun: RerunTimeout})
	if err != nil {
		o.err = err
		return o
	}
	o.res = res
	o.diag = diagnose.Run(res, l.Dir)
	o.edit = l.EditFiles()
	o.tasks, _ = l.Tasks()
	byTask := map[int][]string{}
	for _, t := range o.tasks {
		byTask[t.Number] = t.Tests
	}
	o.tasksPassed = diagnose.TasksPassed(o.diag, byTask)
	o.notRun = tasksNotRun(res, l.Dir, o.tasks, o.tasksPassed)

	err = c.record(l, func(rec *progress.Lesson) {
		rec.State = stateFailing
		if o.passed() {
			rec.State = statePassed
		}
		rec.Kind = ""
		if o.diag.Kind != diagnose.Passed {
			rec.Kind = o.diag.Kind.Slug()
		} else if len(o.changedTests) > 0 {
			rec.Kind = "tests_changed"
		}
		rec.TasksPassed, rec.TasksNotRun = nil, nil
		for _, t := range o.tasks {
			switch {
			case o.tasksPassed[t.Number]:
				rec.TasksPassed = append(rec.TasksPassed, t.Number)
			case o.notRun[t.Number]:
				rec.TasksNotRun = append(rec.TasksNotRun, t.Number)
			}
		}
		rec.CheckedAt = time.Now().UTC() // full precision: two checks in one second keep their order
		rec.FilesHash = filesHash(l)
		rec.RaceChecked = race
		rec.TestsEdited = len(o.changedTests) > 0
	})
	if err != nil {
		c.env.notice("could not save progress: " + err.Error())
	}
	return o
}

// tasksNotRun returns the tasks that did not pass, none of whose tests
// failed, and one of whose tests never ran (even when run again): such a
// task has no verdict, and is shown as not run, never as failed.
func tasksNotRun(res *gotest.Result, dir string, tasks []catalog.Task, passed map[int]bool) map[int]bool {
	ran := map[string]string{} // top-level test -> its action; "" if it never ended
	for _, path := range res.Report.Paths() {
		if strings.HasSuffix(path, "/"+dir) {
			for name, t := range res.Report.Packages[path].Tests {
				ran[name] = t.Action
			}
		}
	}
	out := map[int]bool{}
	for _, t := range tasks {
		if passed[t.Number] {
			continue
		}
		failed, missing := false, false
		for _, name := range t.Tests {
			action, ok := ran[name]
			failed = failed || ok && (action == "fail" || action == "")
			missing = missing || !ok
		}
		out[t.Number] = missing && !failed
	}
	return out
}

// render writes what a learner reads after a check. Without verbose it is
// learner-sized: the failures of the lowest failing task in full, each other
// task's failures on one line, the evidence trimmed to the learner's files,
// the files to edit and the hint of the lowest failing task. With verbose,
// go test's own output comes first and every failure is shown in full.
func (o *outcome) render(w io.Writer, verbose, several bool) {
	l := o.lesson
	fmt.Fprintf(w, "%s  edit %s  %s\n", paint(w, bold, l.Name()), filesToEdit(l), paint(w, dim, "("+o.res.Command+")"))
	if verbose {
		fmt.Fprintln(w, strings.TrimRight(o.res.Report.AllText(), "\n"))
	}
	if len(o.changedTests) > 0 {
		fmt.Fprintf(w, "%s %s\n", paint(w, yellow, "! tests were changed:"), strings.Join(o.changedTests, ", "))
		fmt.Fprintln(w, "  A pass only counts with the course's own tests. Restore them with 'go run ./tools/kata reset --tests "+fmt.Sprint(l.Number)+"'.")
	}
	d := o.diag
	if d.Kind == diagnose.Passed {
		mark := "✓ passed"
		if !o.race {
			mark += " (not race-checked)"
		}
		fmt.Fprintln(w, paint(w, green, mark))
	} else {
		fmt.Fprintln(w, paint(w, red, "✗ "+d.Kind.String()))
		fmt.Fprintln(w, "  "+d.Kind.Advice())
		groups := o.failureGroups()
		if d.Evidence != "" && !shownInFailures(d.Evidence, groups, verbose) {
			fmt.Fprintln(w)
			fmt.Fprintln(w, indentBy(d.Evidence, "    "))
			if d.MoreEvidence > 0 && !verbose {
				fmt.Fprintf(w, "    ... and %d more race %s like these (--verbose shows them)\n", d.MoreEvidence, plural(d.MoreEvidence, "report", "reports"))
			}
		}
		if d.Kind != diagnose.BuildFailed {
			o.renderFailures(w, groups, verbose, several)
		}
	}
	for _, r := range o.res.Reruns {
		fmt.Fprintf(w, "\n  re-run in a new process: %s (%s, before they ran)\n", someNames(r.Tests, 3), r.Why)
	}
	if len(o.tasks) > 0 && d.Kind != diagnose.BuildFailed {
		var marks []string
		for _, t := range o.tasks {
			m := "✗"
			if o.tasksPassed[t.Number] {
				m = "✓"
			} else if o.notRun[t.Number] {
				m = "not run"
			}
			marks = append(marks, fmt.Sprintf("%d %s", t.Number, m))
		}
		fmt.Fprintf(w, "\n  tasks: %s\n", strings.Join(marks, "  "))
		if len(o.res.NotRun) > 0 {
			fmt.Fprintf(w, "  not run: %s (the test binary ended before them, and the time for running them again ran out)\n", someNames(o.res.NotRun, 3))
		}
	}
	if d.Kind != diagnose.Passed {
		if len(o.edit) > 0 {
			fmt.Fprintf(w, "  edit: %s\n", strings.Join(prefixed("lessons/"+l.Dir+"/", o.edit), ", "))
		}
		if hint := o.hint(); hint > 0 {
			fmt.Fprintf(w, "  hint: read Hint %d in lessons/%s/hints.md, or run: go run ./tools/kata hint %d %d\n", hint, l.Dir, l.Number, hint)
		} else {
			fmt.Fprintf(w, "  hint: go run ./tools/kata hint %d\n", l.Number)
		}
	}
	if several {
		fmt.Fprintln(w)
	}
}

// someNames lists up to n names, then how many more: "A, B, C and 6 more".
func someNames(names []string, n int) string {
	if len(names) <= n {
		return strings.Join(names, ", ")
	}
	return fmt.Sprintf("%s and %d more", strings.Join(names[:n], ", "), len(names)-n)
}

// A failureGroup is the failures of one task (task 0: tests no task names).
type failureGroup struct {
	task     int
	failures []diagnose.Failure
}

// failureGroups sorts the failures by task, lowest task first; failures of
// tests that no task names come last.
func (o *outcome) failureGroups() []failureGroup {
	taskOf := map[string]int{}
	for _, t := range o.tasks {
		for _, name := range t.Tests {
			if _, ok := taskOf[name]; !ok {
				taskOf[name] = t.Number
			}
		}
	}
	var groups []failureGroup
	add := func(task int, f diagnose.Failure) {
		for i := range groups {
			if groups[i].task == task {
				groups[i].failures = append(groups[i].failures, f)
				return
			}
		}
		groups = append(groups, failureGroup{task: task, failures: []diagnose.Failure{f}})
	}
	for _, f := range o.diag.Failures {
		add(taskOf[f.Test], f)
	}
	sort.SliceStable(groups, func(i, j int) bool {
		a, b := groups[i].task, groups[j].task
		return a != 0 && (b == 0 || a < b)
	})
	return groups
}

// renderFailures shows the first group's failures in full and the others
// one line per task; verbose shows all in full.
func (o *outcome) renderFailures(w io.Writer, groups []failureGroup, verbose, several bool) {
	for i, g := range groups {
		if i == 0 || verbose {
			for j, f := range g.failures {
				if several && !verbose && j == 2 {
					fmt.Fprintf(w, "\n  ... and %d more failing tests of this task\n", len(g.failures)-j)
					break
				}
				fmt.Fprintf(w, "\n  %s\n", paint(w, bold, f.Test))
				if strings.TrimSpace(f.Message) != "" {
					fmt.Fprintln(w, indentBy(f.Message, "  "))
				}
			}
			continue
		}
		if i == 1 {
			fmt.Fprintln(w)
		}
		var names []string
		for _, f := range g.failures {
			names = append(names, f.Test)
		}
		label := "other tests"
		if g.task > 0 {
			label = fmt.Sprintf("task %d", g.task)
		}
		fmt.Fprintf(w, "  %s also fails: %s\n", label, strings.Join(names, ", "))
	}
}

// hint is the hint of the lowest failing task, as its tests' messages name
// it ("read Hint 3"); else the first hint the output names.
func (o *outcome) hint() int {
	if groups := o.failureGroups(); len(groups) > 0 {
		for _, f := range groups[0].failures {
			if n := diagnose.HintIn(f.Message); n > 0 {
				return n
			}
		}
	}
	return o.diag.Hint
}

// shownInFailures reports whether the evidence is already part of a failure
// message that render shows in full (the watchdog's report is both).
func shownInFailures(evidence string, groups []failureGroup, verbose bool) bool {
	first, _, _ := strings.Cut(evidence, "\n")
	for i, g := range groups {
		if i > 0 && !verbose {
			break
		}
		for _, f := range g.failures {
			if strings.Contains(f.Message, strings.TrimSpace(first)) {
				return true
			}
		}
	}
	return false
}

func prefixed(prefix string, names []string) []string {
	out := make([]string, len(names))
	for i, n := range names {
		out[i] = prefix + n
	}
	return out
}

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}

func indentBy(s, prefix string) string {
	lines := strings.Split(strings.TrimRight(s, "\n"), "\n")
	for i, l := range lines {
		if strings.TrimSpace(l) != "" {
			lines[i] = prefix + l
		}
	}
	return strings.Join(lines, "\n")
}
