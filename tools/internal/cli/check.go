package cli

import (
	"context"
	"fmt"
	"io"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"time"

	"github.com/gokatas/concurrency/tools/internal/catalog"
	"github.com/gokatas/concurrency/tools/internal/diagnose"
	"github.com/gokatas/concurrency/tools/internal/gotest"
)

// binDir keeps the lessons' test binaries between checks, below the
// repository root, so that a check of an unchanged lesson skips the link.
const binDir = ".kata/bin"

// CheckTimeout bounds a lesson's tests when the course tool runs them; the
// compile step before it has a bound of its own.
var CheckTimeout = 30 * time.Second

func init() {
	register(&command{
		name:    "check",
		args:    "[N|slug|next|all]",
		summary: "run a lesson's tests and say what happened, in plain words",
		help: "Runs the lesson's tests (with -race where the machine supports it) and says what\n" +
			"happened: passed, a test failed, a data race, a deadlock or hang, a goroutine leak,\n" +
			"a panic, a compile error, or tests that were changed. Each points to the hint that\n" +
			"fits. Name the lesson by number (1 or 01), slug (goroutines) or 'next' (the default);\n" +
			"'all' checks every lesson, several at once. Exits 0 only if every lesson checked passed.",
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
	failed := 0
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
		if !o.passed() {
			failed++
		}
	}
	if f.json {
		if err := writeJSON(env.Stdout, results); err != nil {
			return err
		}
	}
	if err := c.progress.Save(env.Root); err != nil {
		env.notice("could not save progress: " + err.Error())
	}
	if len(lessons) > 1 && !f.json {
		fmt.Fprintf(env.Stdout, "\n%d passed, %d failed\n", len(lessons)-failed, failed)
	}
	if failed > 0 {
		return &ExitError{Code: 1}
	}
	return nil
}

// pick resolves the check command's argument to lessons.
func (c *course) pick(args []string) ([]*catalog.Lesson, error) {
	if len(args) > 1 {
		return nil, fmt.Errorf("name one lesson, or 'all'")
	}
	name := "next"
	if len(args) == 1 {
		name = args[0]
	}
	switch name {
	case "all":
		return c.Available(), nil
	case "next":
		if n := c.next(); n != nil {
			return []*catalog.Lesson{n}, nil
		}
		return nil, fmt.Errorf("every lesson has passed; name one to check it again")
	}
	l, err := c.Find(name)
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
	changedTests []string
	race         bool
	err          error
}

func (o *outcome) passed() bool {
	return o.err == nil && o.diag.Kind == diagnose.Passed && len(o.changedTests) == 0
}

func (c *course) checkLesson(ctx context.Context, l *catalog.Lesson, race bool) *outcome {
	o := &outcome{lesson: l, race: race, changedTests: c.changedTests(l)}
	res, err := gotest.Run(ctx, gotest.Options{Dir: c.Root, Package: l.ImportPath(), Race: race, Timeout: CheckTimeout, Test2JSON: test2json(ctx, c.Root),
		BinDir: filepath.Join(c.Root, filepath.FromSlash(binDir))})
	if err != nil {
		o.err = err
		return o
	}
	o.res = res
	o.diag = diagnose.Run(res, l.Dir)
	o.tasks, _ = l.Tasks()
	byTask := map[int][]string{}
	for _, t := range o.tasks {
		byTask[t.Number] = t.Tests
	}
	o.tasksPassed = diagnose.TasksPassed(o.diag, byTask)

	rec := c.progress.Lesson(l.Dir)
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
	rec.TasksPassed = nil
	for _, t := range o.tasks {
		if o.tasksPassed[t.Number] {
			rec.TasksPassed = append(rec.TasksPassed, t.Number)
		}
	}
	rec.CheckedAt = time.Now().UTC().Truncate(time.Second)
	rec.FilesHash = filesHash(l)
	rec.RaceChecked = race
	rec.TestsEdited = len(o.changedTests) > 0
	return o
}

func (o *outcome) render(w io.Writer, verbose, several bool) {
	l := o.lesson
	cmd := o.res.Command
	fmt.Fprintf(w, "%s  %s\n", paint(w, bold, l.Name()), paint(w, dim, "("+cmd+")"))
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
		if d.Evidence != "" {
			fmt.Fprintln(w)
			fmt.Fprintln(w, indentBy(d.Evidence, "    "))
		}
		if d.Kind != diagnose.BuildFailed {
			for i, f := range d.Failures {
				if several && i == 2 {
					fmt.Fprintf(w, "\n  ... and %d more failing tests\n", len(d.Failures)-i)
					break
				}
				fmt.Fprintf(w, "\n  %s\n%s\n", paint(w, bold, f.Test), indentBy(f.Message, "  "))
			}
		}
	}
	if len(o.tasks) > 0 && d.Kind != diagnose.BuildFailed {
		var marks []string
		for _, t := range o.tasks {
			m := "✗"
			if o.tasksPassed[t.Number] {
				m = "✓"
			}
			marks = append(marks, fmt.Sprintf("%d %s", t.Number, m))
		}
		fmt.Fprintf(w, "\n  tasks: %s\n", strings.Join(marks, "  "))
	}
	if d.Kind != diagnose.Passed {
		if d.Hint > 0 {
			fmt.Fprintf(w, "  hint: read Hint %d in lessons/%s/hints.md, or run: go run ./tools/kata hint %d\n", d.Hint, l.Dir, l.Number)
		} else {
			fmt.Fprintf(w, "  hint: go run ./tools/kata hint %d\n", l.Number)
		}
	}
	if several {
		fmt.Fprintln(w)
	}
}

func indentBy(s, prefix string) string {
	lines := strings.Split(strings.TrimRight(s, "\n"), "\n")
	for i, l := range lines {
		lines[i] = prefix + l
	}
	return strings.Join(lines, "\n")
}
