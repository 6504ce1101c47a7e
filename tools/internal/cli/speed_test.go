package cli

import (
	"os/exec"
	"path/filepath"
	"testing"
)

// The check command's cost over a bare go test, on a real lesson with a warm
// build cache, each as a learner types it:
//
//	go test -run '^$' -bench . -benchtime 10x ./tools/internal/cli/
//
// BenchmarkBareGoTest is the floor: `go test -race -count=1` (-count=1
// because a learner who edits between checks never gets a cached result).
// BenchmarkKataCheck is `go run ./tools/kata check 1`, which compiles the
// test binary, runs it under test2json, diagnoses the result and saves
// progress. Both fail (the starter is unsolved), as they do for a learner.
func BenchmarkBareGoTest(b *testing.B) {
	benchCommand(b, "go", "test", "-race", "-count=1", "./lessons/01_goroutines/")
}

func BenchmarkKataCheck(b *testing.B) {
	benchCommand(b, "go", "run", "./tools/kata", "check", "1")
}

func benchCommand(b *testing.B, name string, args ...string) {
	root, err := filepath.Abs("../../..")
	if err != nil {
		b.Fatal(err)
	}
	run := func() {
		cmd := exec.Command(name, args...)
		cmd.Dir = root
		if out, err := cmd.CombinedOutput(); err != nil {
			if _, failed := err.(*exec.ExitError); !failed {
				b.Fatalf("%s: %v\n%s", name, err, out)
			}
		}
	}
	run() // warm the build cache
	for b.Loop() {
		run()
	}
}
