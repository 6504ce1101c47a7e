package cli

import (
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"testing"
	"time"
)

// BenchmarkCheckOverhead measures what the check command costs over a bare
// go test, with a warm build cache and a learner's edit before every run,
// each command as a learner types it:
//
//	go test -run '^$' -bench CheckOverhead -benchtime 8x ./tools/internal/cli/
//
// The floor is `go test -race -count=1 ./lessons/01_goroutines/` (-count=1,
// because a learner who edits between checks never gets a cached result).
// The tool is `go run ./tools/kata check 1`: it compiles the test binary,
// runs it under test2json, diagnoses the result and saves progress. Each
// iteration edits the lesson (adds a function, so that both commands compile
// and link the lesson anew, as after a real save) and runs the floor, then
// edits again and runs the tool, so that the two alternate and share the
// machine's state. It reports the median of each and the tool's overhead in
// percent. "failing" runs the starter, as while a learner works; "passing"
// runs the lesson with its solution laid in. Both run in a temporary copy of
// the repository.
func BenchmarkCheckOverhead(b *testing.B) {
	for _, solved := range []bool{false, true} {
		name := "failing"
		if solved {
			name = "passing"
		}
		b.Run(name, func(b *testing.B) {
			dir, file := repoCopy(b, solved)
			bare := []string{"go", "test", "-race", "-count=1", "./lessons/01_goroutines/"}
			kata := []string{"go", "run", "./tools/kata", "check", "1"}
			edits := 0
			edit := func() {
				edits++
				appendFunc(b, file, edits)
			}
			edit()
			runCommand(b, dir, bare) // warm the build cache
			runCommand(b, dir, kata)
			var bareTimes, kataTimes []time.Duration
			for b.Loop() {
				edit()
				bareTimes = append(bareTimes, runCommand(b, dir, bare))
				edit()
				kataTimes = append(kataTimes, runCommand(b, dir, kata))
			}
			mb, mk := median(bareTimes), median(kataTimes)
			b.ReportMetric(mb.Seconds(), "bare-s")
			b.ReportMetric(mk.Seconds(), "kata-s")
			b.ReportMetric(100*(mk.Seconds()-mb.Seconds())/mb.Seconds(), "overhead-%")
		})
	}
}

func median(ds []time.Duration) time.Duration {
	s := slices.Clone(ds)
	slices.Sort(s)
	return s[len(s)/2]
}

// runCommand runs a command in dir and returns how long it took; a non-zero
// exit (a failing lesson) is expected.
func runCommand(b *testing.B, dir string, argv []string) time.Duration {
	cmd := exec.Command(argv[0], argv[1:]...)
	cmd.Dir = dir
	start := time.Now()
	out, err := cmd.CombinedOutput()
	took := time.Since(start)
	if _, failed := err.(*exec.ExitError); err != nil && !failed {
		b.Fatalf("%v: %v\n%s", argv, err, out)
	}
	return took
}

// appendFunc adds a function to the file: it changes the compiled package,
// as a real edit does, so the test binary must be linked again (a comment
// alone would leave the object unchanged and let a kept binary be reused).
func appendFunc(b *testing.B, file string, n int) {
	f, err := os.OpenFile(file, os.O_APPEND|os.O_WRONLY, 0)
	if err != nil {
		b.Fatal(err)
	}
	fmt.Fprintf(f, "\nfunc edit%d() int { return %d }\n", n, n)
	if err := f.Close(); err != nil {
		b.Fatal(err)
	}
}

// repoCopy copies what the tool and lesson 01 need into a temporary
// directory, with lesson 01's solution laid in if solved, and returns the
// copy's root and the path of the lesson's file.
func repoCopy(b *testing.B, solved bool) (string, string) {
	root, err := filepath.Abs("../../..")
	if err != nil {
		b.Fatal(err)
	}
	dir := b.TempDir()
	for _, rel := range []string{"lessons", "tools"} {
		if err := os.CopyFS(filepath.Join(dir, rel), os.DirFS(filepath.Join(root, rel))); err != nil {
			b.Fatal(err)
		}
	}
	for _, rel := range []string{"go.mod", "go.sum"} {
		data, err := os.ReadFile(filepath.Join(root, rel))
		if err != nil {
			b.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, rel), data, 0o644); err != nil {
			b.Fatal(err)
		}
	}
	file := filepath.Join(dir, "lessons", "01_goroutines", "goroutines.go")
	if solved {
		sol, err := os.ReadFile(filepath.Join(root, "solutions", "01_goroutines", "goroutines.go"))
		if err != nil {
			b.Fatal(err)
		}
		if err := os.WriteFile(file, sol, 0o644); err != nil {
			b.Fatal(err)
		}
	}
	return dir, file
}
