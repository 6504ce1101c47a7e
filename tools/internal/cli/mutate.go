package cli

import (
	"context"
	"fmt"
	"io"
	"time"

	"github.com/gokatas/concurrency/tools/internal/catalog"
	"github.com/gokatas/concurrency/tools/internal/mutate"
	"github.com/gokatas/concurrency/tools/internal/pristine"
)

func init() {
	register(&command{
		name:    "mutate",
		args:    "[N|slug|all ...]",
		summary: "for maintainers and CI: mutation-test lessons' tests against wrong solutions derived from the solution",
		help: "Derives wrong solutions from each named lesson's reference solution (or every\n" +
			"lesson's) with concurrency mutation operators: a lock removed or split, a\n" +
			"WaitGroup.Add moved into its goroutine, a close or a select case removed, a\n" +
			"channel's buffer changed, an atomic step made plain, a boundary moved, and more.\n" +
			"Runs the lesson's tests on each mutant, in a scratch copy of the module with the\n" +
			"mutated file in place of the starter, once under -race, and a mutant that passes\n" +
			"again under -race -cpu=1,4 -count=3. Prints every survivor with its operator,\n" +
			"file:line and what was changed, then 'N killed, N survived, N equivalent'.\n" +
			"Mutants that do not compile are left out. A survivor that no test can tell from\n" +
			"the solution is recorded as equivalent, with a reason, in\n" +
			"solutions/NN_slug/" + mutate.RecordFile + " (--write keeps the reasons).\n" +
			"Exits 1 if a lesson scores below 95% (killed / (total - equivalent)), or with\n" +
			"--sample if a sampled mutant's verdict differs from the record.",
		run: runMutate,
	})
}

func runMutate(ctx context.Context, env *Env, args []string) error {
	fs := flags("mutate", env)
	parallel := fs.Int("parallel", 0, "mutants run at once (default: the number of CPUs)")
	asJSON := fs.Bool("json", false, "print the results as JSON")
	write := fs.Bool("write", false, "write each lesson's record, solutions/NN_slug/"+mutate.RecordFile)
	sample := fs.Int("sample", 0, "run only this many mutants per lesson, chosen by hash, and compare them with the record")
	if err := parse(fs, args); err != nil {
		return err
	}
	if *write && *sample > 0 {
		fmt.Fprintln(env.Stderr, "kata: --write records every mutant; it cannot be used with --sample")
		return errUsage
	}
	c, err := catalog.Load(env.Root)
	if err != nil {
		return err
	}
	sums, err := pristine.Load(env.Root)
	if err != nil {
		return err
	}
	names := fs.Args()
	if len(names) == 1 && names[0] == "all" {
		names = nil
	}
	lessons, err := named(c, names)
	if err != nil {
		return err
	}
	opts := mutate.Options{Course: c, Sums: sums, Parallel: *parallel, Progress: env.Stderr}
	if *sample > 0 {
		opts.Only = mutate.Sample(*sample)
	}
	var results []*mutate.Result
	failed := false
	var killed, survived, equivalent int
	for _, l := range lessons {
		fmt.Fprintf(env.Stderr, "%s: mutating\n", l.Dir)
		res, err := mutate.Lesson(ctx, opts, l)
		if err != nil {
			return err
		}
		results = append(results, res)
		killed, survived, equivalent = killed+res.Killed, survived+res.Survived, equivalent+res.Equivalent
		if *sample > 0 {
			failed = compareSample(env.Stdout, l, res, *asJSON) || failed
		} else if res.Score < mutate.MinScore {
			failed = true
		}
		if !*asJSON {
			writeMutants(env.Stdout, res)
		}
		if *write {
			if err := mutate.WriteRecord(l, res); err != nil {
				return err
			}
			fmt.Fprintf(env.Stderr, "%s: wrote %s\n", l.Dir, mutate.RecordPath(l))
		}
	}
	if *asJSON {
		if err := writeJSON(env.Stdout, results); err != nil {
			return err
		}
	} else if len(lessons) > 1 {
		fmt.Fprintf(env.Stdout, "\n%d killed, %d survived, %d equivalent\n", killed, survived, equivalent)
	}
	if failed {
		return &ExitError{Code: 1}
	}
	return nil
}

// writeMutants prints a lesson's survivors and its counts.
func writeMutants(w io.Writer, res *mutate.Result) {
	fmt.Fprintf(w, "\n%s\n", res.Lesson)
	for _, o := range res.Survivors() {
		fmt.Fprintf(w, "  survived  %-24s %s:%d  %s\n            id %s\n", o.Operator, o.File, o.Line, o.Desc, o.ID)
	}
	fmt.Fprintf(w, "%d killed, %d survived, %d equivalent (%d not compiling, left out); score %.1f%%, in %v\n",
		res.Killed, res.Survived, res.Equivalent, res.NotCompiling, 100*res.Score, res.Duration.Round(time.Second))
}

// compareSample reports the sampled mutants whose verdict differs from the
// lesson's record, and whether there were any (or no record to compare).
func compareSample(w io.Writer, l *catalog.Lesson, res *mutate.Result, quiet bool) bool {
	rec, err := mutate.ReadRecord(l)
	if err != nil {
		if !quiet {
			fmt.Fprintf(w, "%s: %v: the sample is not compared\n", l.Dir, err)
		}
		return false
	}
	recorded := map[string]string{}
	for _, m := range rec.Mutants {
		recorded[m.ID] = m.Verdict
	}
	differ := false
	for _, o := range res.Mutants {
		if want, ok := recorded[o.ID]; !ok || want != o.Verdict {
			differ = true
			if !quiet {
				fmt.Fprintf(w, "%s: %s is %s, the record says %q\n", l.Dir, o.ID, o.Verdict, want)
			}
		}
	}
	return differ
}
