package katatest

import (
	"errors"
	"os"
	"os/exec"
	"strings"
	"sync"
	"testing"
	"testing/synctest"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestMain(m *testing.M) { Main(m) }

func TestFailureString(t *testing.T) {
	got := Failure{Want: "12", Got: "11", Means: "a lost update", Hint: 2}.String()
	assert.Contains(t, got, "expected: 12\n")
	assert.Contains(t, got, "     got: 11\n")
	assert.Contains(t, got, "   means: a lost update\n")
	assert.Contains(t, got, "    hint: read Hint 2 in this lesson's hints.md\n")

	noHint := Failure{Want: "a", Got: "b"}.String()
	assert.NotContains(t, noHint, "hint:")
	assert.NotContains(t, noHint, "means:")
}

func TestMeans(t *testing.T) {
	assert.Equal(t, "means: a lost update\nhint:  read Hint 3 in this lesson's hints.md", Means("a lost update", 3))
	assert.Equal(t, "means: a lost update", Means("a lost update", 0))
}

func TestElapsedIsExactInFakeTime(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		sequential := Elapsed(func() {
			time.Sleep(200 * time.Millisecond)
			time.Sleep(300 * time.Millisecond)
		})
		assert.Equal(t, 500*time.Millisecond, sequential)

		parallel := Elapsed(func() {
			var wg sync.WaitGroup
			wg.Go(func() { time.Sleep(200 * time.Millisecond) })
			wg.Go(func() { time.Sleep(300 * time.Millisecond) })
			wg.Wait()
		})
		assert.Equal(t, 300*time.Millisecond, parallel)
	})
}

func TestAdvanceRunsDueTimers(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		fired := make(chan struct{})
		timer := time.AfterFunc(time.Second, func() { close(fired) })
		defer timer.Stop()

		Advance(time.Second - time.Nanosecond)
		select {
		case <-fired:
			t.Fatal("timer fired a nanosecond early")
		default:
		}
		Advance(time.Nanosecond)
		select {
		case <-fired:
		default:
			t.Fatal("timer did not fire at its deadline")
		}
	})
}

func TestBarrierForcesBothToArrive(t *testing.T) {
	b := NewBarrierPatience(2, 10*time.Second)
	var mu sync.Mutex // protects order
	var order []string
	var wg sync.WaitGroup
	for _, name := range []string{"a", "b"} {
		wg.Go(func() {
			mu.Lock()
			order = append(order, "read "+name)
			mu.Unlock()
			assert.True(t, b.Wait())
			mu.Lock()
			order = append(order, "write "+name)
			mu.Unlock()
		})
	}
	wg.Wait()
	require.Len(t, order, 4)
	assert.True(t, strings.HasPrefix(order[0], "read") && strings.HasPrefix(order[1], "read"),
		"both parties must read before either writes, got %v", order)
	assert.True(t, b.Filled())
	assert.True(t, b.Wait(), "a later call returns at once and still reports the barrier filled")
}

func TestBarrierOpensForSerializedCode(t *testing.T) {
	b := NewBarrierPatience(2, 50*time.Millisecond)
	var mu sync.Mutex // serializes the two parties, as a correct solution would
	var wg sync.WaitGroup
	results := make([]bool, 2)
	for i := range 2 {
		wg.Go(func() {
			mu.Lock()
			defer mu.Unlock()
			results[i] = b.Wait()
		})
	}
	done := make(chan struct{})
	go func() { wg.Wait(); close(done) }()
	select {
	case <-done:
	case <-time.After(5 * time.Second):
		t.Fatal("a barrier whose parties are serialized never opened")
	}
	assert.Equal(t, []bool{false, false}, results)
	assert.False(t, b.Filled())
}

const sampleDump = `goroutine 1 [running]:
github.com/gokatas/concurrency/lessons/internal/katatest.allStacks()
	/src/lessons/internal/katatest/watchdog.go:80 +0x45
created by time.goFunc
	/usr/local/go/src/time/sleep.go:215 +0x2d

goroutine 7 [sync.Mutex.Lock]:
sync.runtime_SemacquireMutex(0xc000012345?, 0x0?, 0x1?)
	/usr/local/go/src/runtime/sema.go:95 +0x25
sync.(*Mutex).Lock(...)
	/usr/local/go/src/sync/mutex.go:81
github.com/gokatas/concurrency/lessons/05_lost_update.(*Counter).Inc(0xc0000a0000)
	/src/lessons/05_lost_update/lostupdate.go:31 +0x3a
created by github.com/gokatas/concurrency/lessons/05_lost_update.TestInc in goroutine 6
	/src/lessons/05_lost_update/lostupdate_test.go:20 +0x8f

goroutine 9 [chan receive]:
testing.(*T).Run(0xc000003a00, {0x5e8f1a?, 0x0?}, 0x0)
	/usr/local/go/src/testing/testing.go:1751 +0x3ab

goroutine 29 [synctest.Run (durable), synctest bubble 9]:
internal/synctest.Run(0x27e3ea0d6060)
	/usr/local/go/src/runtime/synctest.go:218 +0x1e6
github.com/gokatas/concurrency/lessons/05_lost_update.TestInc(0xc000003a00)
	/src/lessons/05_lost_update/lostupdate_test.go:40 +0x8f
`

func TestTrimStacksKeepsLessonFrames(t *testing.T) {
	got := TrimStacks(sampleDump, "/src/lessons/05_lost_update")
	assert.Contains(t, got, "goroutine 7 [sync.Mutex.Lock]:")
	assert.Contains(t, got, "sync.runtime_SemacquireMutex", "the innermost frame says what it is blocked in")
	assert.Contains(t, got, "05_lost_update.(*Counter).Inc")
	assert.Contains(t, got, "lostupdate.go:31")
	assert.Contains(t, got, "created by 05_lost_update.TestInc in goroutine 6")
	assert.Contains(t, got, "lostupdate_test.go:20")
	assert.NotContains(t, got, "goroutine 1 ", "goroutines without lesson frames are dropped")
	assert.NotContains(t, got, "goroutine 9 ")
	assert.NotContains(t, got, "goroutine 29 ", "a bubble's own goroutine is machinery, not the lesson's")
	assert.NotContains(t, got, "mutex.go:81", "frames outside the lesson are dropped")
	assert.NotContains(t, got, "/src/lessons/", "paths are shortened to file names")
	assert.Contains(t, got, "runtime/sema.go:95")
}

func TestTrimStacksNothingInLesson(t *testing.T) {
	assert.Empty(t, TrimStacks(sampleDump, "/elsewhere"))
}

// TestWatchdogReportsDeadlock runs a deliberately deadlocked test in a child
// process and checks that the watchdog fails it quickly, with the stuck
// goroutine's place and the hint.
func TestWatchdogReportsDeadlock(t *testing.T) {
	if os.Getenv("KATATEST_CHILD") == "deadlock" {
		deadlockedTest(t)
		return
	}
	exe, err := os.Executable()
	require.NoError(t, err)
	cmd := exec.Command(exe, "-test.run=^TestWatchdogReportsDeadlock$", "-test.count=1")
	cmd.Env = append(os.Environ(), "KATATEST_CHILD=deadlock", "KATA_WATCHDOG=300ms")
	start := time.Now()
	out, err := cmd.CombinedOutput()
	var exit *exec.ExitError
	require.True(t, errors.As(err, &exit), "the child must fail, got err=%v\n%s", err, out)
	assert.Less(t, time.Since(start), 30*time.Second)

	text := string(out)
	assert.Contains(t, text, "--- FAIL: TestWatchdogReportsDeadlock")
	assert.Contains(t, text, HangMarker)
	assert.Contains(t, text, "[sync.Mutex.Lock")
	assert.Contains(t, text, "katatest_test.go:", "the stuck goroutine's place in the lesson's files")
	assert.Contains(t, text, "read Hint 4")
	assert.NotContains(t, text, "WatchdogAfter", "the watchdog's own goroutine is not part of the report")
}

func deadlockedTest(t *testing.T) {
	Watchdog(t, 4)
	var mu sync.Mutex
	mu.Lock()
	mu.Lock() // never returns: the watchdog ends the process
}

func TestAddInsideGo(t *testing.T) {
	dir := t.TempDir()
	write := func(name, src string) {
		require.NoError(t, os.WriteFile(dir+"/"+name, []byte(src), 0o644))
	}
	write("bad.go", `package p

import "sync"

func Bad(n int) {
	var wg sync.WaitGroup
	for range n {
		go func() {
			wg.Add(1)
			defer wg.Done()
		}()
	}
	wg.Wait()
}
`)
	write("good.go", `package p

import "sync"

func Good(n int) {
	var wg sync.WaitGroup
	for range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			var inner sync.WaitGroup
			inner.Add(1) // counted before its own goroutine starts: fine
			go func() { inner.Done() }()
			inner.Wait()
		}()
	}
	wg.Wait()
}
`)
	write("bad_test.go", "package p\n\nfunc init() { go func() { var wg sync.WaitGroup; wg.Add(1) }() }\n")

	places, err := AddInsideGo(dir)
	require.NoError(t, err)
	assert.Equal(t, []string{"bad.go:9"}, places, "only the captured WaitGroup counted from inside its own goroutine")
}

// The leak tests run in a child process, because a leak that Bubble reports
// fails the test (and, for a goroutine blocked forever, ends the binary).
func TestBubbleReportsLeaks(t *testing.T) {
	switch os.Getenv("KATATEST_CHILD") {
	case "sleeper":
		Bubble(t, 5, func(t *testing.T) {
			go func() { time.Sleep(time.Second) }() // returns, but only later
		})
		return
	case "stuck":
		Bubble(t, 6, func(t *testing.T) {
			t.Error("the test's own message")
			ch := make(chan int)
			go func() { ch <- 1 }() // nobody ever receives
		})
		return
	case "clean":
		Bubble(t, 7, func(t *testing.T) {
			done := make(chan struct{})
			go func() { time.Sleep(time.Second); close(done) }()
			<-done
		})
		return
	}
	run := func(child string) (string, error) {
		exe, err := os.Executable()
		require.NoError(t, err)
		cmd := exec.Command(exe, "-test.run=^TestBubbleReportsLeaks$", "-test.count=1")
		cmd.Env = append(os.Environ(), "KATATEST_CHILD="+child)
		out, err := cmd.CombinedOutput()
		return string(out), err
	}

	out, err := run("clean")
	assert.NoError(t, err, "a bubble whose goroutines all returned must pass:\n%s", out)

	out, err = run("sleeper")
	assert.Error(t, err)
	assert.Contains(t, out, "goroutine leak: the code returned but left goroutines behind")
	assert.Contains(t, out, "katatest_test.go:", "the leaked goroutine's place")
	assert.Contains(t, out, "read Hint 5")
	assert.NotContains(t, out, "blocked goroutines remain", "a sleeper is let finish, not left to synctest's panic")

	out, err = run("stuck")
	assert.Error(t, err)
	assert.Contains(t, out, LeakMarker+" goroutines started by TestBubbleReportsLeaks are blocked forever")
	assert.Contains(t, out, "chan send")
	assert.Contains(t, out, "read Hint 6")
	assert.Contains(t, out, "the test's own message", "the test's earlier messages are not lost")
}
