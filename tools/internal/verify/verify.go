// Package verify is the course verification: for every lesson it proves that
// the pristine starter fails, that the solution passes under stress, that
// every known mistake fails with the words that name it, and that the
// lesson has all its parts. The course's own test and `kata verify` both
// run it.
//
// Each check runs in a temporary copy of the module that holds go.mod,
// go.sum, lessons/internal, tools/evidence and the one lesson, laid out from its pristine
// files with the solution or the mistake put in place of the starter files.
// The learner's working copy is never touched, so the verification gives the
// same verdict in a fresh clone and in a clone where lessons are solved.
package verify

import (
	"context"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/gokatas/concurrency/tools/internal/catalog"
	"github.com/gokatas/concurrency/tools/internal/pristine"
)

// Limits and stress settings of the verification.
const (
	StarterLimit  = 30 * time.Second // a pristine starter's tests must fail within this
	SolutionCount = 3                // -count for the solution
	SolutionCPU   = "1,2,4"          // -cpu for the solution
	MistakeCPU    = "1,4"            // -cpu for each known mistake
	MistakeCount  = 5                // -count for each known mistake: it must fail all 5 runs at each -cpu
	MinHints      = 3
	MinMistakes   = 3
	DefaultBudget = 2 * time.Second  // a solution's tests, per run, compile time aside, unless course.json sets "budget"
	solutionLimit = 3 * time.Minute  // bounds the solution's stress run
	mistakeLimit  = 60 * time.Second // bounds one known mistake's run
)

// mistakeCount is MistakeCount, or the number in the environment variable
// KATA_MISTAKE_RUNS. CI sets it to 1, so that on two cores it checks that
// every mistake is caught with its words and kind at each GOMAXPROCS; and
// to 0 for its second pass on the newer Go release, which checks starters
// and solutions only: each mistake is then listed as skipped, with why.
// kata verify keeps the full count.
func mistakeCount() int {
	if n, err := strconv.Atoi(os.Getenv("KATA_MISTAKE_RUNS")); err == nil && n >= 0 {
		return n
	}
	return MistakeCount
}

// A Check is one verdict about one lesson.
type Check struct {
	Lesson   string        `json:"lesson"` // "01_goroutines"
	Name     string        `json:"check"`  // "starter", "starter -race", "solution", "mistake add_inside", "parts"
	OK       bool          `json:"ok"`
	Skipped  bool          `json:"skipped,omitempty"` // not run, and why is in Detail; counts as passed
	Detail   string        `json:"detail,omitempty"`  // why it failed, or a figure worth showing
	Duration time.Duration `json:"duration_ns,omitempty"`
}

// Options configure a verification run.
type Options struct {
	Course   *catalog.Course
	Sums     pristine.Sums
	Parallel int       // lessons verified at once; 0 means the number of CPUs
	Progress io.Writer // if set, one line per finished check
}

// Course verifies the given lessons, several at once, and returns every
// check in course order.
func Course(ctx context.Context, opts Options, lessons []*catalog.Lesson) []Check {
	n := opts.Parallel
	if n <= 0 {
		n = runtime.NumCPU()
	}
	results := make([][]Check, len(lessons))
	sem := make(chan struct{}, n)
	var wg sync.WaitGroup
	for i, l := range lessons {
		wg.Go(func() {
			select {
			case sem <- struct{}{}:
			case <-ctx.Done():
				results[i] = []Check{{Lesson: l.Dir, Name: "all", Detail: ctx.Err().Error()}}
				return
			}
			defer func() { <-sem }()
			results[i] = Lesson(ctx, opts, l)
		})
	}
	wg.Wait()
	var all []Check
	for _, r := range results {
		all = append(all, r...)
	}
	return all
}

// Lesson verifies one lesson.
func Lesson(ctx context.Context, opts Options, l *catalog.Lesson) []Check {
	v := &lessonRun{opts: opts, lesson: l}
	laid := v.laidOut()
	v.parts()
	if !laid {
		return v.checks
	}
	v.starter(ctx, false)
	v.starter(ctx, true)
	v.solution(ctx)
	v.vet(ctx)
	v.mistakes(ctx)
	return v.checks
}

type lessonRun struct {
	opts   Options
	lesson *catalog.Lesson
	checks []Check

	mu sync.Mutex // protects printing progress

	pristine  map[string][]byte // file name -> pristine content
	starters  []string          // the files to edit that the record has
	others    []string          // the record's non-test .go files that are not to be edited
	tests     []string
	tasks     []catalog.Task
	solutions map[string][]byte
}

func (v *lessonRun) add(c Check) {
	c.Lesson = v.lesson.Dir
	v.checks = append(v.checks, c)
	if v.opts.Progress != nil {
		v.mu.Lock()
		fmt.Fprintf(v.opts.Progress, "%-6s %-24s %-32s %s\n", verdict(c), c.Lesson, c.Name, firstLine(c.Detail))
		v.mu.Unlock()
	}
}

func verdict(c Check) string {
	switch {
	case c.Skipped:
		return "skip"
	case c.OK:
		return "ok"
	}
	return "FAIL"
}

func firstLine(s string) string {
	line, _, _ := strings.Cut(s, "\n")
	return line
}

// laidOut gathers the lesson's pristine files and its solution files, and
// reports whether there is enough to run the tests.
func (v *lessonRun) laidOut() bool {
	l := v.lesson
	recorded := v.opts.Sums.Lesson(l.Dir)
	if len(recorded) == 0 {
		v.add(Check{Name: "pristine record", Detail: fmt.Sprintf("%s has no files of %s: run `go run ./tools/kata pristine`", pristine.File, l.Dir)})
		return false
	}
	v.pristine = map[string][]byte{}
	for name := range recorded {
		data, err := v.opts.Sums.Content(v.opts.Course.Root, l.Dir+"/"+name)
		if err != nil {
			v.add(Check{Name: "pristine record", Detail: err.Error()})
			return false
		}
		v.pristine[name] = data
		switch {
		case strings.HasSuffix(name, "_test.go"):
			v.tests = append(v.tests, name)
		case slices.Contains(l.EditFiles(), name):
			v.starters = append(v.starters, name)
		case strings.HasSuffix(name, ".go"):
			v.others = append(v.others, name)
		}
	}
	sort.Strings(v.starters)
	sort.Strings(v.others)
	sort.Strings(v.tests)
	v.solutions = map[string][]byte{}
	files, err := l.SolutionFiles()
	if err != nil {
		v.add(Check{Name: "solution", Detail: err.Error()})
		return false
	}
	for _, name := range files {
		data, err := os.ReadFile(filepath.Join(l.SolutionPath(), name))
		if err != nil {
			v.add(Check{Name: "solution", Detail: err.Error()})
			return false
		}
		v.solutions[name] = data
	}
	return true
}
