package katatest

import (
	"fmt"
	"os"
	"os/exec"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/gokatas/concurrency/tools/evidence"
)

// caseEnv selects what TestIsolateHelper does. Without it, the helper is
// skipped: it runs only as the parent of an Isolate call that another test
// (or the example) starts in a process of its own, to see what a learner
// would see.
const caseEnv = "KATATEST_ISOLATE_CASE"

// TestIsolateHelper is an isolated lesson test whose child does what caseEnv
// says.
func TestIsolateHelper(t *testing.T) {
	c := os.Getenv(caseEnv)
	if c == "" {
		t.Skip("run by TestIsolate and ExampleIsolate")
	}
	iso := Isolation{Hint: 3, Explain: func(r ChildResult) string {
		switch c {
		case "explain":
			return fmt.Sprintf("explained: hung=%v, saw the message: %v", r.Hung, strings.Contains(r.Output, "2 + 2"))
		case "deadlock", "hang":
			return fmt.Sprintf("explained: hung=%v, deadlocked=%v", r.Hung, r.Deadlocked)
		}
		return ""
	}}
	if c == "deadlock" {
		iso.Deadlocks = true
	}
	if c == "hang" {
		childLimit = func(time.Duration) time.Duration { return time.Hour }
	}
	Isolate(t, iso, func(t *testing.T) {
		switch c {
		case "pass":
			t.Log("the child passed")
		case "skip":
			t.Skip("the child skipped")
		case "fail", "explain":
			t.Errorf("2 + 2 = %d; want 4", 5)
		case "race":
			// What the race detector prints, so that the test needs no -race.
			fmt.Fprint(os.Stderr, "==================\nWARNING: DATA RACE\nWrite at 0x00c000012345 by goroutine 8:\n==================\n")
			t.Error("testing.go:1617: race detected during execution of test")
		case "panic":
			panic("boom")
		case "deadlock":
			var a, b sync.Mutex
			var wg sync.WaitGroup
			a.Lock()
			b.Lock()
			wg.Go(func() { a.Lock() })
			wg.Go(func() { b.Lock() })
			wg.Wait()
		case "hang":
			for {
				time.Sleep(time.Millisecond)
			}
		}
	})
}

// runHelper runs TestIsolateHelper in a process of its own with case c, and
// returns what that process printed with -test.v, and whether it failed.
func runHelper(t testing.TB, c string, env ...string) (string, bool) {
	exe, err := os.Executable()
	require.NoError(t, err)
	cmd := exec.Command(exe, "-test.run=^TestIsolateHelper$", "-test.count=1", "-test.v")
	cmd.Env = append(append(os.Environ(), caseEnv+"="+c), env...)
	out, err := cmd.CombinedOutput()
	if _, ok := err.(*exec.ExitError); err != nil && !ok {
		require.NoError(t, err)
	}
	return string(out), err != nil
}

// framingLines returns the lines of out that go test -json reads as events.
func framingLines(out string) []string {
	var lines []string
	for line := range strings.Lines(out) {
		if framingRE.MatchString(strings.TrimRight(line, "\n")) {
			lines = append(lines, strings.TrimRight(line, "\n"))
		}
	}
	return lines
}

var durationRE = regexp.MustCompile(` \(\d+\.\d+s\)`)

func TestIsolate(t *testing.T) {
	if os.Getenv(caseEnv) != "" {
		t.Skip("a helper's process")
	}
	t.Parallel()
	tests := []struct {
		c       string
		env     []string
		failed  bool
		want    []string // in the parent's output
		notWant []string
	}{
		{c: "pass", want: []string{"the child passed"}},
		{c: "skip", want: []string{"--- SKIP: TestIsolateHelper", "skipped in the child process"}},
		{c: "fail", failed: true, want: []string{"2 + 2 = 5; want 4", "the test failed in a child process (exit status 1)"}},
		{c: "explain", failed: true, want: []string{"2 + 2 = 5; want 4", "explained: hung=false, saw the message: true"},
			notWant: []string{"its output is above"}},
		{c: "race", failed: true, want: []string{"WARNING: DATA RACE", "Write at 0x00c000012345 by goroutine 8:"}},
		{c: "panic", failed: true, want: []string{"panic: boom", "goroutine "}},
		{c: "deadlock", failed: true, want: []string{
			"    ##kata:deadlock TestIsolateHelper\n",
			"deadlock: the goroutines of TestIsolateHelper wait for each other",
			"[sync.Mutex.Lock",
			"isolate_test.go:",
			"read Hint 3",
			"explained: hung=true, deadlocked=true",
		}, notWant: []string{"##kata:hang"}},
		{c: "hang", env: []string{"KATA_WATCHDOG=1s"}, failed: true, want: []string{
			"    ##kata:hang TestIsolateHelper\n",
			"deadlock or hang: the child process that ran TestIsolateHelper was still running after",
			"read Hint 3",
			"explained: hung=true, deadlocked=false",
		}, notWant: []string{"##kata:deadlock"}},
	}
	for _, tt := range tests {
		t.Run(tt.c, func(t *testing.T) {
			t.Parallel()
			start := time.Now()
			out, failed := runHelper(t, tt.c, tt.env...)
			assert.Less(t, time.Since(start), 20*time.Second, "a child's hang is reported within seconds")
			assert.Equal(t, tt.failed, failed, "whether the parent failed\n%s", out)
			for _, w := range tt.want {
				assert.Contains(t, out, w)
			}
			for _, w := range tt.notWant {
				assert.NotContains(t, out, w)
			}
			// The only framing lines are the parent's own: the child's
			// === RUN, --- FAIL, FAIL and exit status lines are gone.
			framing := framingLines(durationRE.ReplaceAllString(out, ""))
			end := "--- PASS: TestIsolateHelper"
			switch {
			case tt.c == "skip":
				end = "--- SKIP: TestIsolateHelper"
			case tt.failed:
				end = "--- FAIL: TestIsolateHelper"
			}
			assert.Equal(t, "=== RUN   TestIsolateHelper", framing[0], out)
			assert.Equal(t, end, framing[1], out)
			assert.Len(t, framing, 3, "framing lines: %q\n%s", framing, out)
		})
	}
}

func TestDeadlocked(t *testing.T) {
	lesson := evidence.Dir("/src/lessons/11_lock_pitfalls")
	g := func(id int, state string, fn string) string {
		return fmt.Sprintf("goroutine %d [%s]:\n%s\n\t/src/lessons/11_lock_pitfalls/%s +0x1a\n\n", id, state, fn, "pitfalls.go:9")
	}
	self := g(1, "running", "github.com/x/lessons/11_lock_pitfalls.TestA(0x0)")
	a := g(7, "sync.Mutex.Lock, 2 minutes", "github.com/x/lessons/11_lock_pitfalls.Transfer(0x0)")
	b := g(8, "chan receive", "github.com/x/lessons/11_lock_pitfalls.Close(0x0)")
	sleeping := g(9, "sleep", "github.com/x/lessons/11_lock_pitfalls.Tick(0x0)")
	elsewhere := "goroutine 10 [select]:\nmain.f()\n\t/src/other/f.go:3 +0x1\n\n"
	waitsForSubtests := "goroutine 11 [chan receive]:\ntesting.(*T).Run(0x0)\n\t/go/src/testing/testing.go:1751 +0x3ab\n" +
		"github.com/x/lessons/11_lock_pitfalls.TestAll(0x0)\n\t/src/lessons/11_lock_pitfalls/pitfalls_test.go:50 +0x8f\n\n"

	mainWaits := "goroutine 2 [chan receive]:\ntesting.tRunner.func1()\n\t/go/src/testing/testing.go:1993 +0x1\n" +
		"testing.(*M).Run(0x0)\n\t/go/src/testing/testing.go:2340 +0x1\n" +
		"github.com/x/lessons/11_lock_pitfalls.TestMain(0x0)\n\t/src/lessons/11_lock_pitfalls/helpers_test.go:15 +0x1\n\n"

	stuck := deadlocked(self+a+b+elsewhere+waitsForSubtests+mainWaits, 1, lesson)
	require.Len(t, stuck, 2, "the detector itself, other packages' goroutines and the test machinery are not watched")
	assert.Equal(t, []int{7, 8}, []int{stuck[0].ID, stuck[1].ID})
	assert.Nil(t, deadlocked(self+a+sleeping, 1, lesson), "a timer may wake a sleeper, which may release the lock")
	assert.Nil(t, deadlocked(self+elsewhere+mainWaits, 1, lesson),
		"the body returned, and the main goroutine waits for the tests: nothing to call deadlocked")
	assert.Nil(t, deadlocked(self+a, 0, lesson), "with no goroutine excluded as self, the running detector is watched")
}

func TestDropFraming(t *testing.T) {
	in := "=== RUN   TestA\n" +
		"\x16=== NAME  TestA\n" +
		"    a_test.go:9: got 5\n" +
		"    --- FAIL: TestA/sub (0.00s)\n" +
		"--- FAIL: TestA (0.01s)\n" +
		"WARNING: DATA RACE\n" +
		"    ##kata:leak TestA\n" +
		"panic: boom [recovered]\n" +
		"FAIL\n" +
		"exit status 1\n" +
		"FAIL\tgithub.com/x/y\t0.02s\n" +
		"ok  \tgithub.com/x/y\t0.02s\n" +
		"PASS\n" +
		"a PASS in a sentence\n"
	want := "    a_test.go:9: got 5\n" +
		"WARNING: DATA RACE\n" +
		"    ##kata:leak TestA\n" +
		"panic: boom [recovered]\n" +
		"a PASS in a sentence\n"
	assert.Equal(t, want, dropFraming(in))
}

func TestRunPattern(t *testing.T) {
	assert.Equal(t, "^TestA$", runPattern("TestA"))
	assert.Equal(t, `^TestA$/^x\.y$`, runPattern("TestA/x.y"))
}

// ExampleIsolate shows what a learner sees when an isolated test fails:
// the child's own message, then the parent's line. The child's framing
// lines are gone, so the test is reported once.
func ExampleIsolate() {
	// A lesson's test, as TestIsolateHelper has it:
	//
	//	func TestAdd(t *testing.T) {
	//		katatest.Isolate(t, katatest.Isolation{Hint: 3}, func(t *testing.T) {
	//			t.Errorf("2 + 2 = %d; want 4", Add(2, 2))
	//		})
	//	}
	out, _ := runHelper(exampleTB{}, "fail")
	fmt.Print(durationRE.ReplaceAllString(out, ""))
	// Output:
	// === RUN   TestIsolateHelper
	//         isolate_test.go:54: 2 + 2 = 5; want 4
	//     isolate_test.go:47: the test failed in a child process (exit status 1); its output is above
	// --- FAIL: TestIsolateHelper
	// FAIL
}

// exampleTB is the testing.TB of an example: runHelper's require calls
// end it with a panic.
type exampleTB struct{ testing.TB }

func (exampleTB) Helper() {}
func (exampleTB) Errorf(format string, args ...any) {
	panic(fmt.Sprintf(format, args...))
}
func (exampleTB) FailNow() { panic("FailNow") }

func TestCount(t *testing.T) {
	assert.Equal(t, "0 attempts", Count(0, "attempt"))
	assert.Equal(t, "1 attempt", Count(int64(1), "attempt"))
	assert.Equal(t, "2 attempts", Count(int32(2), "attempt"))
	assert.Equal(t, "1 entry", Count(1, "entry/entries"))
	assert.Equal(t, "5 entries", Count(5, "entry/entries"))
	assert.Equal(t, "once", Times(1))
	assert.Equal(t, "3 times", Times(3))
}

// TestAllStuck_RunnableGoroutine: a goroutine that has not started yet
// shows no frame in the lesson's files, but it may still release the lock
// the others wait for, so the detector does not call them deadlocked.
func TestAllStuck_RunnableGoroutine(t *testing.T) {
	const dir = "/src/lessons/11_x"
	stuck := "goroutine 9 [sync.Mutex.Lock]:\n" +
		"sync.(*Mutex).Lock(0xc000026980?)\n\t/go/src/sync/mutex.go:46 +0x15\n" +
		"example.com/x.Transfer(0xc000026980)\n\t" + dir + "/transfer.go:40 +0x19d\n"
	unstarted := "goroutine 11 [runnable]:\n" +
		"sync.(*WaitGroup).Go.func1()\n\t/go/src/sync/waitgroup.go:238\n" +
		"created by sync.(*WaitGroup).Go in goroutine 9\n\t/go/src/sync/waitgroup.go:238 +0x73\n"
	if deadlocked(stuck, 8, evidence.Dir(dir)) == nil {
		t.Fatal("one goroutine of the lesson waiting for a lock, nothing else: want stuck")
	}
	if deadlocked(stuck+"\n"+unstarted, 8, evidence.Dir(dir)) != nil {
		t.Error("a runnable goroutine that has not started yet may still unlock: want not stuck")
	}
}
