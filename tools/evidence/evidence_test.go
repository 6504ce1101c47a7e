package evidence

import (
	"bytes"
	"fmt"
	"os"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func read(t *testing.T, name string) string {
	t.Helper()
	data, err := os.ReadFile("testdata/" + name)
	require.NoError(t, err)
	return string(data)
}

func TestMarkers(t *testing.T) {
	var b bytes.Buffer
	require.NoError(t, Write(&b, Hang, "TestDeposit"))
	assert.Equal(t, "##kata:hang TestDeposit\n", b.String())

	out := strings.Join([]string{
		"=== RUN   TestEmit",
		"    emit_test.go:40: ",
		"        ##kata:leak TestEmit",                           // indented by go test: still a marker
		"           means: goroutine leak: Emit ignores done",    // prose: not a marker
		"    got: the text ##kata:hang in a sentence is not one", // not at the start of its line
		"##kata:leak",
		"##kata:",
		"##kata:hang TestDeposit",
	}, "\n")
	assert.Equal(t, []Marker{{Leak, "TestEmit"}, {Leak, ""}, {Hang, "TestDeposit"}}, Find(out))
	assert.True(t, Has(out, Hang))
	assert.False(t, Has(out, Race))
	assert.True(t, Leak.Known())
	assert.False(t, Kind("leaks").Known())
	assert.True(t, IsMarker("\t##kata:race TestX"))
	assert.Equal(t, "\n##kata:deadlock TestX\nlock order 2", Errorf(Deadlock, "TestX", "lock order %d", 2))
}

func TestSignalOnlyAtTheStartOfALine(t *testing.T) {
	assert.True(t, Signal("ok\npanic: boom\n", "panic: "))
	assert.True(t, Signal("ok\n    panic: boom\n", "panic: "), "a child's output may be indented")
	assert.False(t, Signal("got: Post panicked; panic: would follow\n", "panic: "))
}

func TestParseRuntimeDump(t *testing.T) {
	gs := ParseGoroutines(read(t, "dump.txt"))
	require.Len(t, gs, 6)
	g := gs[1]
	assert.Equal(t, 7, g.ID)
	assert.Equal(t, "sync.Mutex.Lock, 2 minutes", g.State)
	require.Len(t, g.Frames, 4)
	assert.Equal(t, Frame{Func: "sync.(*Mutex).Lock(...)", File: "/usr/local/go/src/sync/mutex.go", Line: 81}, g.Frames[1])
	assert.True(t, g.Frames[3].CreatedBy)
	assert.Equal(t, "created by 05_lost_update.TestInc in goroutine 6", g.Frames[3].Short())
	assert.Equal(t, "05_lost_update.(*Counter).Inc", g.Frames[2].Short())
	assert.True(t, gs[0].Harness(), "the kit taking the dump")
	assert.True(t, gs[3].Harness(), "a test waiting for its subtests")
	assert.True(t, gs[4].Harness(), "a synctest bubble's root")
	assert.False(t, g.Harness())
	main := ParseGoroutines("goroutine 1 [chan receive]:\n" +
		"testing.tRunner.func1()\n\t/go/src/testing/testing.go:1993 +0x1\n" +
		"testing.(*M).Run(0xc000150000)\n\t/go/src/testing/testing.go:2340 +0x1\n" +
		"example.com/lessons/11_lock_pitfalls.TestMain(0x0)\n\t/src/lessons/11_lock_pitfalls/helpers_test.go:15 +0x1\n")
	require.Len(t, main, 1)
	assert.True(t, main[0].Harness(), "the main goroutine, waiting for parallel tests")
}

func TestWaitReasons(t *testing.T) {
	gs := ParseGoroutines(read(t, "dump.txt"))
	reasons := []string{}
	for _, g := range gs {
		reasons = append(reasons, g.Reason())
	}
	assert.Equal(t, []string{"running", "sync.Mutex.Lock", "sync.Mutex.Lock", "chan receive", "synctest.Run (durable)", "select (durable)"}, reasons)
	assert.False(t, gs[0].WaitsForOthers(), "running")
	assert.True(t, gs[1].WaitsForOthers(), "a lock, waited for 2 minutes")
	assert.True(t, gs[3].WaitsForOthers(), "a channel")
	assert.False(t, gs[5].WaitsForOthers(), "a select, which a timer may end")
	for _, state := range []string{"sync.RWMutex.RLock", "sync.WaitGroup.Wait", "sync.Cond.Wait", "chan send (nil chan)", "select (no cases)"} {
		assert.True(t, Goroutine{State: state}.WaitsForOthers(), state)
	}
	for _, state := range []string{"sleep", "select", "syscall", "IO wait", "runnable", "chan receive (durable)"} {
		assert.False(t, Goroutine{State: state}.WaitsForOthers(), state)
	}
}

func TestBubble(t *testing.T) {
	gs := ParseGoroutines(read(t, "dump.txt"))
	assert.Equal(t, "", gs[1].Bubble())
	assert.Equal(t, "synctest bubble 9", gs[5].Bubble())
	assert.Equal(t, "synctest bubble 3", Goroutine{State: "running, synctest bubble 3 labels:{x:y}"}.Bubble())
	assert.Equal(t, "synctest bubble 30", Goroutine{State: "sleep, synctest bubble 30"}.Bubble())
}

func TestStringIsReadBack(t *testing.T) {
	gs := ParseGoroutines(read(t, "dump.txt"))
	var b strings.Builder
	for _, g := range gs {
		b.WriteString(g.String() + "\n")
	}
	assert.Equal(t, gs, ParseGoroutines(b.String()))
	assert.Equal(t, "goroutine 8 [select (no cases)]:\n"+
		"example.com/x.f()\n\t/src/x/f.go:3\n", Goroutine{ID: 8, State: "select (no cases)",
		Frames: []Frame{{Func: "example.com/x.f()", File: "/src/x/f.go", Line: 3}}}.String())
}

func TestParseGoleakReport(t *testing.T) {
	gs := ParseGoroutines(read(t, "goleak.txt"))
	require.Len(t, gs, 1)
	assert.Equal(t, "goroutine 8 [select (no cases)]:", gs[0].Header())
	assert.Len(t, gs[0].Frames, 2)
}

func TestCurrentIDIgnoresTheState(t *testing.T) {
	// The same goroutine, dumped alone while the collector scanned it, and
	// then with all the others.
	self := "goroutine 12 [running (scan), synctest bubble 3]:\nmain.f()\n\t/x/f.go:1 +0x1\n"
	assert.Equal(t, 12, CurrentID(self))
	assert.Equal(t, "synctest bubble 3", Current(self).Bubble())
	assert.Equal(t, 0, CurrentID("no dump"))
}

func TestTrimStacks(t *testing.T) {
	got := TrimStacks(read(t, "dump.txt"), Dir("/src/lessons/05_lost_update"))
	want := "goroutine 7 [sync.Mutex.Lock, 2 minutes] and 1 more like it:\n" +
		"    sync.runtime_SemacquireMutex                       runtime/sema.go:95\n" +
		"    05_lost_update.(*Counter).Inc                      lostupdate.go:31\n" +
		"    created by 05_lost_update.TestInc in goroutine 6   lostupdate_test.go:20\n" +
		"\n" +
		"goroutine 31 [select (durable), synctest bubble 9]:\n" +
		"    05_lost_update.feed.func1                          lostupdate_test.go:60\n" +
		"    created by 05_lost_update.feed in goroutine 30     lostupdate_test.go:58\n\n"
	assert.Equal(t, want, got)
	assert.Equal(t, got, TrimStacks(read(t, "dump.txt"), Dir("05_lost_update")), "a directory name works as an absolute path does")
	assert.Empty(t, TrimStacks(read(t, "dump.txt"), Dir("/elsewhere")))
}

func TestTrimLeaksLeavesOutTheTestsOwnGoroutines(t *testing.T) {
	got := TrimLeaks(read(t, "dump.txt"), Dir("05_lost_update"))
	assert.Contains(t, got, "goroutine 7 ")
	assert.NotContains(t, got, "goroutine 31 ", "only in the lesson's tests: not the learner's leak")

	dump := read(t, "dump.txt")
	onlyTests := dump[strings.Index(dump, "goroutine 31 "):]
	assert.Contains(t, TrimLeaks(onlyTests, Dir("05_lost_update")), "goroutine 31 ",
		"when nothing else is left, the tests' goroutines are the evidence")
}

func TestTrimRaces(t *testing.T) {
	got := TrimRaces(read(t, "race.txt"), Dir("03_event_loop"))
	require.Len(t, got, 1, "the same race on another address, by other goroutines, is shown once")
	assert.Equal(t, "Write at 0x00c000014118 by goroutine 65:\n"+
		"    03_event_loop.(*Loop).run                          eventloop.go:40\n"+
		"    03_event_loop.(*Loop).Post.func1                   eventloop.go:61\n"+
		"Previous read at 0x00c000014118 by goroutine 7:\n"+
		"    03_event_loop.(*Loop).Len                          eventloop.go:52\n"+
		"    03_event_loop.TestPost                             eventloop_test.go:12\n"+
		"Goroutine 65 (running) created at:\n"+
		"    time.goFunc                                        time/sleep.go:215\n"+
		"Goroutine 7 (running) created at:\n"+
		"    testing.(*T).Run                                   testing/testing.go:1997\n", got[0])

	rs := ParseRaces(read(t, "race.txt"))
	require.Len(t, rs, 2)
	assert.Len(t, rs[1].Accesses, 2)
	assert.Len(t, rs[1].Creators, 2, "the mutex section is left out")
}

func Example() {
	output := `=== RUN   TestWorker
    bubble.go:54: 
        ##kata:leak TestWorker
           means: goroutine leak: the worker never stops
goroutine 8 [chan receive]:
example.com/lessons/01_workers.work()
	/home/you/katas/lessons/01_workers/workers.go:12 +0xf
created by example.com/lessons/01_workers.Start in goroutine 7
	/home/you/katas/lessons/01_workers/workers.go:9 +0x1a
`
	for _, m := range Find(output) {
		fmt.Println(m.Kind, m.Test)
	}
	fmt.Print(TrimLeaks(output, Dir("01_workers")))
	// Output:
	// leak TestWorker
	// goroutine 8 [chan receive]:
	//     01_workers.work                                    workers.go:12
	//     created by 01_workers.Start in goroutine 7         workers.go:9
}
