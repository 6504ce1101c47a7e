package mutate

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io"
	"runtime"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/gokatas/concurrency/tools/internal/catalog"
	"github.com/gokatas/concurrency/tools/internal/diagnose"
	"github.com/gokatas/concurrency/tools/internal/gotest"
	"github.com/gokatas/concurrency/tools/internal/pristine"
	"github.com/gokatas/concurrency/tools/internal/verify"
)

// Verdicts of a mutant.
const (
	Killed       = "killed"        // the tests failed on it
	Survived     = "survived"      // the tests passed it, every run
	Equivalent   = "equivalent"    // survived, and its record says why no test can tell
	NotCompiling = "not compiling" // discarded: proves nothing
)

// How mutants are run. A mutant is killed if its tests fail on the first
// run; a mutant that passes is run again, harder, before it is called a
// survivor.
const (
	FirstCPU   = ""    // the first run: -race -count=1 at the default GOMAXPROCS
	RerunCPU   = "1,4" // a survivor's second chance to be killed
	RerunCount = 3
	MinScore   = 0.95 // killed / (total - equivalent) a lesson must reach

	firstLimit = 60 * time.Second // a run's bound: a hang past it is a kill
	rerunLimit = 3 * time.Minute
)

// Options configure a mutation run.
type Options struct {
	Course   *catalog.Course
	Sums     pristine.Sums
	Parallel int       // mutants run at once; 0 means the number of CPUs
	Progress io.Writer // if set, one line per finished mutant
	// Only, if set, picks the mutants to run (the others are left out of the
	// result); Sample makes one.
	Only func(all []Mutant) []Mutant
}

// An Outcome is one mutant and what the tests did with it.
type Outcome struct {
	Mutant
	Verdict  string        `json:"verdict"`
	Kind     string        `json:"kind,omitempty"`   // how the tests failed, for a killed mutant
	Reason   string        `json:"reason,omitempty"` // why an equivalent mutant cannot be seen, from the record
	Duration time.Duration `json:"duration_ns"`
}

// A Result is a lesson's mutation run.
type Result struct {
	Lesson       string        `json:"lesson"`
	Hash         string        `json:"hash"`
	Total        int           `json:"total"` // mutants that compiled
	Killed       int           `json:"killed"`
	Survived     int           `json:"survived"` // not counting the equivalent ones
	Equivalent   int           `json:"equivalent"`
	NotCompiling int           `json:"not_compiling"`
	Score        float64       `json:"score"` // Killed / (Total - Equivalent); 1 when nothing is left
	Duration     time.Duration `json:"duration_ns"`
	Mutants      []Outcome     `json:"mutants"`
}

// Lesson derives the lesson's mutants from its solution, runs the lesson's
// tests on each, in a scratch copy of the module with the mutated file in
// place of the starter, and returns the verdicts, with the survivors that
// the lesson's record calls equivalent marked so.
func Lesson(ctx context.Context, opts Options, l *catalog.Lesson) (*Result, error) {
	start := time.Now()
	s, err := verify.NewScratch(verify.Options{Course: opts.Course, Sums: opts.Sums}, l)
	if err != nil {
		return nil, err
	}
	mutants, err := Mutants(s)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", l.Dir, err)
	}
	if opts.Only != nil {
		mutants = opts.Only(mutants)
	}
	res := &Result{Lesson: l.Dir, Hash: Hash(s), Mutants: make([]Outcome, len(mutants))}
	n := opts.Parallel
	if n <= 0 {
		n = runtime.NumCPU()
	}
	var (
		wg      sync.WaitGroup
		sem     = make(chan struct{}, n)
		mu      sync.Mutex // guards firstErr and the progress writer
		firstEr error
	)
	for i, m := range mutants {
		wg.Go(func() {
			select {
			case sem <- struct{}{}:
			case <-ctx.Done():
				return
			}
			defer func() { <-sem }()
			o, err := runMutant(ctx, s, l, m)
			mu.Lock()
			defer mu.Unlock()
			if err != nil {
				if firstEr == nil {
					firstEr = err
				}
				return
			}
			res.Mutants[i] = o
			if opts.Progress != nil {
				fmt.Fprintf(opts.Progress, "%-13s %s  %s:%d  %s\n", o.Verdict, o.Operator, o.File, o.Line, o.Desc)
			}
		})
	}
	wg.Wait()
	if firstEr != nil {
		return nil, firstEr
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	if rec, err := ReadRecord(l); err == nil {
		res.applyRecord(rec)
	}
	res.count()
	res.Duration = time.Since(start)
	return res, nil
}

// Mutants derives every mutant of the lesson's solution files.
func Mutants(s *verify.Scratch) ([]Mutant, error) {
	files := s.Solution()
	names := make([]string, 0, len(files))
	for name := range files {
		names = append(names, name)
	}
	// The lesson's fixed non-test files are part of the package's types.
	for name, data := range s.Published() {
		if _, ok := files[name]; !ok && strings.HasSuffix(name, ".go") && !strings.HasSuffix(name, "_test.go") && !isStarter(s, name) {
			files[name] = data
		}
	}
	return Generate(files, names)
}

func isStarter(s *verify.Scratch, name string) bool {
	for _, st := range s.Starters() {
		if st == name {
			return true
		}
	}
	return false
}

// runMutant runs the lesson's tests on one mutant: once under -race, and a
// survivor again under -race -cpu=1,4 -count=3.
func runMutant(ctx context.Context, s *verify.Scratch, l *catalog.Lesson, m Mutant) (Outcome, error) {
	start := time.Now()
	o := Outcome{Mutant: m}
	files := s.Solution()
	files[m.File] = m.Source
	runs := []gotest.Options{
		{Race: true, Count: 1, CPU: FirstCPU, Timeout: firstLimit},
		{Race: true, Count: RerunCount, CPU: RerunCPU, Timeout: rerunLimit},
	}
	o.Verdict = Survived
	for i, opts := range runs {
		res, err := s.Run(ctx, m.ID, files, opts)
		if err != nil {
			return o, fmt.Errorf("%s: %w", m.ID, err)
		}
		if res.BuildFailed {
			o.Verdict = NotCompiling
			break
		}
		if !res.Passed() {
			o.Verdict = Killed
			o.Kind = diagnose.Run(res, l.Dir).Kind.String()
			if res.TimedOut {
				o.Kind = "ran past its time bound"
			}
			if i > 0 {
				o.Kind += fmt.Sprintf(" (only on the re-run: -cpu=%s -count=%d)", RerunCPU, RerunCount)
			}
			break
		}
	}
	o.Duration = time.Since(start)
	return o, nil
}

func (r *Result) count() {
	r.Total, r.Killed, r.Survived, r.Equivalent, r.NotCompiling = 0, 0, 0, 0, 0
	for _, o := range r.Mutants {
		switch o.Verdict {
		case Killed:
			r.Killed++
		case Survived:
			r.Survived++
		case Equivalent:
			r.Equivalent++
		case NotCompiling:
			r.NotCompiling++
			continue
		}
		r.Total++
	}
	r.Score = Score(r.Killed, r.Total, r.Equivalent)
}

// Score is killed / (total - equivalent), or 1 when no mutant is left to kill.
func Score(killed, total, equivalent int) float64 {
	if total-equivalent <= 0 {
		return 1
	}
	return float64(killed) / float64(total-equivalent)
}

// Survivors returns the outcomes that survived and are not recorded as
// equivalent.
func (r *Result) Survivors() []Outcome {
	var out []Outcome
	for _, o := range r.Mutants {
		if o.Verdict == Survived {
			out = append(out, o)
		}
	}
	return out
}

// Hash identifies what a lesson's mutation result depends on: the operator
// set, the lesson's published Go files other than the starters (its tests
// and any fixed files), and the solution's files.
func Hash(s *verify.Scratch) string {
	h := sha256.New()
	fmt.Fprintf(h, "%s\n", Version)
	write := func(kind string, files map[string][]byte, skip func(string) bool) {
		names := make([]string, 0, len(files))
		for name := range files {
			if strings.HasSuffix(name, ".go") && !skip(name) {
				names = append(names, name)
			}
		}
		sort.Strings(names)
		for _, name := range names {
			fmt.Fprintf(h, "%s %s %d\n", kind, name, len(files[name]))
			h.Write(files[name])
		}
	}
	write("lesson", s.Published(), func(name string) bool { return isStarter(s, name) })
	write("solution", s.Solution(), func(string) bool { return false })
	return "sha256:" + hex.EncodeToString(h.Sum(nil))
}

// Sample picks n of the mutants, the same ones every time for the same
// mutants: those whose IDs hash lowest.
func Sample(n int) func([]Mutant) []Mutant {
	return func(all []Mutant) []Mutant {
		key := func(m Mutant) string {
			sum := sha256.Sum256([]byte(m.ID))
			return hex.EncodeToString(sum[:])
		}
		out := append([]Mutant(nil), all...)
		sort.Slice(out, func(i, j int) bool { return key(out[i]) < key(out[j]) })
		if len(out) > n {
			out = out[:n]
		}
		return out
	}
}
