package cli

import (
	"context"
	"fmt"
	"strings"

	"github.com/gokatas/concurrency/tools/internal/catalog"
	"github.com/gokatas/concurrency/tools/internal/pristine"
	"github.com/gokatas/concurrency/tools/internal/verify"
)

func init() {
	register(&command{
		name:    "verify",
		args:    "[N|slug ...]",
		summary: "for maintainers and CI: prove every lesson's starter fails, solution passes, mistakes fail",
		help: "Verifies the named lessons, or all of them: the pristine starter fails (with and\n" +
			"without -race) within 30 seconds; the solution passes under -race -count=3\n" +
			"-cpu=1,2,4 -shuffle=on; every known mistake fails with the words that name it;\n" +
			"the lesson has all its parts. Prints a table and a last line 'N passed, N failed',\n" +
			"and exits 1 if any check failed. Your own work in lessons/ is not touched or used.\n" +
			"With --bench, it then runs the benchmarks of each named lesson that has some, one\n" +
			"lesson at a time: the solution's at -cpu=" + verify.BenchCPU + ", with its speedup, and those of the\n" +
			"mistakes marked \"// " + verify.BenchCompare + "\", against the solution's. It reports the\n" +
			"times, and fails no lesson for them: run it on a quiet machine.",
		run: runVerify,
	})
	register(&command{
		name:    "pristine",
		args:    "[N|slug ...]",
		summary: "for maintainers: record the published lesson files' hashes",
		help: "Records the hashes of the lesson files as they are now in " + pristine.File + ":\n" +
			"those of the named lessons (the others' entries stay as they were), or of every\n" +
			"lesson. Run it after changing a lesson's starter, tests, README or hints, and\n" +
			"commit the result with the lesson.",
		run: runPristine,
	})
}

func runVerify(ctx context.Context, env *Env, args []string) error {
	fs := flags("verify", env)
	parallel := fs.Int("parallel", 0, "lessons verified at once (default: the number of CPUs)")
	asJSON := fs.Bool("json", false, "print the checks as JSON instead of a table")
	bench := fs.Bool("bench", false, "also run the lessons' benchmarks and report their speed (slow; never run by CI)")
	if err := parse(fs, args); err != nil {
		return err
	}
	c, err := catalog.Load(env.Root)
	if err != nil {
		return err
	}
	sums, err := pristine.Load(env.Root)
	if err != nil {
		return err
	}
	lessons, err := named(c, fs.Args())
	if err != nil {
		return err
	}
	opts := verify.Options{Course: c, Sums: sums, Parallel: *parallel, Progress: env.Stderr}
	checks := verify.Course(ctx, opts, lessons)
	if *bench {
		for _, l := range lessons { // one at a time, after the rest: a benchmark measures the whole machine
			checks = append(checks, verify.Bench(ctx, opts, l)...)
		}
	}
	if *asJSON {
		if err := writeJSON(env.Stdout, checks); err != nil {
			return err
		}
	} else {
		fmt.Fprintln(env.Stdout)
		verify.WriteTable(env.Stdout, checks)
	}
	if _, failed := verify.Counts(checks); failed > 0 {
		return &ExitError{Code: 1}
	}
	return nil
}

func runPristine(ctx context.Context, env *Env, args []string) error {
	fs := flags("pristine", env)
	if err := parse(fs, args); err != nil {
		return err
	}
	c, err := catalog.Load(env.Root)
	if err != nil {
		return err
	}
	lessons, err := named(c, fs.Args())
	if err != nil {
		return err
	}
	sums := pristine.Sums{}
	if fs.NArg() > 0 {
		if old, err := pristine.Load(env.Root); err == nil {
			sums = old
		}
	}
	var dirs []string
	for _, l := range lessons {
		dirs = append(dirs, l.Dir)
		for name := range sums.Lesson(l.Dir) {
			delete(sums, l.Dir+"/"+name)
		}
	}
	scanned, err := pristine.Scan(env.Root, dirs)
	if err != nil {
		return err
	}
	for name, h := range scanned {
		sums[name] = h
	}
	if err := writeFile(env.Root, pristine.File, sums.Format()); err != nil {
		return err
	}
	fmt.Fprintf(env.Stdout, "recorded %d files of %s in %s\n", len(scanned), strings.Join(dirs, ", "), pristine.File)
	return nil
}
