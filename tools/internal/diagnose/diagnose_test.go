package diagnose

import (
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/gokatas/concurrency/tools/internal/gotest"
	"github.com/gokatas/concurrency/tools/internal/testjson"
)

var record = flag.Bool("record", false, "run the fixture packages and record their go test -json streams in testdata/streams")

// fixtures says how each fixture in testdata/fixtures is run when recording.
var fixtures = map[string]gotest.Options{
	"pass":     {},
	"fail":     {},
	"race":     {Race: true},
	"deadlock": {},
	"bubble":   {},
	"timeout":  {Timeout: 2 * time.Second},
	"leak":     {},
	"panic":    {},
	"compile":  {},
	"spin":     {Timeout: time.Second},
}

// kitFixtures are the packages in testdata/kit/lessons, which fail through
// the course's real test kit; their streams are named "kit_" + the package.
var kitFixtures = map[string]gotest.Options{
	"hang":       {Env: []string{"KATA_WATCHDOG=1s"}},
	"bubbleleak": {},
	"mainleak":   {},
	"prose":      {},
	"isolated":   {},
}

// meta is what a stream alone does not say about a run.
type meta struct {
	ExitCode    int  `json:"exit_code"`
	TimedOut    bool `json:"timed_out"`
	BuildFailed bool `json:"build_failed"`
}

func TestRecord(t *testing.T) {
	if !*record {
		t.Skip("run with -record to record the fixtures' streams again")
	}
	dir, err := filepath.Abs("testdata/fixtures")
	require.NoError(t, err)
	for name, opts := range fixtures {
		opts.Dir = dir
		opts.Package = "./" + name
		res, err := gotest.Run(context.Background(), opts)
		require.NoError(t, err, name)
		m, _ := json.Marshal(meta{ExitCode: res.ExitCode, TimedOut: res.TimedOut, BuildFailed: res.BuildFailed})
		require.NoError(t, os.WriteFile(filepath.Join("testdata/streams", name+".jsonl"), res.Output, 0o644))
		require.NoError(t, os.WriteFile(filepath.Join("testdata/streams", name+".meta.json"), m, 0o644))
	}
	kit, err := filepath.Abs("testdata/kit")
	require.NoError(t, err)
	for name, opts := range kitFixtures {
		opts.Dir = kit
		opts.Package = "./lessons/" + name
		opts.Race = true
		res, err := gotest.Run(context.Background(), opts)
		require.NoError(t, err, name)
		m, _ := json.Marshal(meta{ExitCode: res.ExitCode, TimedOut: res.TimedOut, BuildFailed: res.BuildFailed})
		require.NoError(t, os.WriteFile(filepath.Join("testdata/streams", "kit_"+name+".jsonl"), res.Output, 0o644))
		require.NoError(t, os.WriteFile(filepath.Join("testdata/streams", "kit_"+name+".meta.json"), m, 0o644))
	}
}

// recorded loads a recorded run of a fixture.
func recorded(t *testing.T, name string) *gotest.Result {
	t.Helper()
	out, err := os.ReadFile(filepath.Join("testdata/streams", name+".jsonl"))
	require.NoError(t, err)
	data, err := os.ReadFile(filepath.Join("testdata/streams", name+".meta.json"))
	require.NoError(t, err)
	var m meta
	require.NoError(t, json.Unmarshal(data, &m))
	rep, err := testjson.Read(bytes.NewReader(out))
	require.NoError(t, err)
	return &gotest.Result{Report: rep, Output: out, ExitCode: m.ExitCode, TimedOut: m.TimedOut, BuildFailed: m.BuildFailed}
}

func TestKinds(t *testing.T) {
	cases := []struct {
		fixture  string
		kind     Kind
		evidence []string // texts the evidence must contain
		failing  []string
	}{
		{"pass", Passed, nil, nil},
		{"fail", TestFailed, nil, []string{"TestBad"}},
		{"race", DataRace, []string{"by goroutine", "race.(*counter).inc  race_test.go:10"}, nil},
		{"deadlock", Hang, []string{"chan receive", "deadlock.TestWaitForever  deadlock_test.go:7"}, nil},
		{"bubble", Hang, []string{"bubble.TestStuckInBubble.func1  bubble_test.go:11"}, nil},
		{"timeout", Hang, []string{"sync.Mutex.Lock", "timeout.TestLockTwice  timeout_test.go:13"}, nil},
		{"leak", Leak, []string{"leak.startWorker.func1  leak_test.go:12"}, nil},
		{"panic", Panic, []string{"panic: close of closed channel", "panic.closeTwice  panic_test.go:7"}, nil},
		{"compile", BuildFailed, []string{`compile.go:3:27: cannot use "eleven"`}, nil},
		{"spin", Hang, []string{"init functions"}, nil},
		// Through the course's real test kit:
		{"kit_hang", Hang, []string{"TestTwice made no progress", "[sync.Mutex.Lock", "hang.Twice hang.go:10"}, []string{"TestTwice"}},
		{"kit_bubbleleak", Leak, nil, []string{"TestStart"}},
		{"kit_mainleak", Leak, []string{"goroutine", "mainleak.Poll.func1 poller.go:6"}, nil},
		{"kit_prose", TestFailed, nil, []string{"TestMerge_Both"}},
		// A deadlock marker, from Isolate's deadlock detector in a child:
		{"kit_isolated", Hang, []string{"the goroutines of TestOpposite wait for each other", "[sync.Mutex.Lock]", "isolated.Both isolated.go:13"}, []string{"TestOpposite"}},
		// Lesson 08's pristine starter: its messages say "goroutine leak:",
		// and nothing leaks.
		{"lesson08_starter", TestFailed, nil, []string{"TestMerge_ForwardsEveryEvent"}},
	}
	for _, c := range cases {
		t.Run(c.fixture, func(t *testing.T) {
			d := Run(recorded(t, c.fixture), fixtureDir(c.fixture))
			assert.Equal(t, c.kind, d.Kind, "kind")
			for _, e := range c.evidence {
				assert.Contains(t, squash(d.Evidence), squash(e))
			}
			for _, name := range c.failing {
				var got []string
				for _, f := range d.Failures {
					got = append(got, f.Test)
				}
				assert.Contains(t, got, name)
			}
			assert.NotEmpty(t, d.Kind.Advice())
		})
	}
}

// fixtureDir is the directory a recorded fixture's package is in.
func fixtureDir(name string) string {
	if name == "lesson08_starter" {
		return "08_channels"
	}
	return strings.TrimPrefix(name, "kit_")
}

func TestMarkersAreLeftOutOfMessages(t *testing.T) {
	d := Run(recorded(t, "kit_bubbleleak"), "bubbleleak")
	require.Len(t, d.Failures, 1)
	assert.NotContains(t, d.Failures[0].Message, "##kata:")
	assert.Contains(t, d.Failures[0].Message, "worker.go:7", "the leaked goroutine, in the learner's file")
	assert.Empty(t, d.Evidence, "the message shows the goroutines already: one report per leak")
}

func TestFailureMessageAndHint(t *testing.T) {
	d := Run(recorded(t, "fail"), "fail")
	require.Len(t, d.Failures, 1)
	assert.Contains(t, d.Failures[0].Message, "expected: 12")
	assert.Contains(t, d.Failures[0].Message, "means: a lost update")
	assert.NotContains(t, d.Failures[0].Message, "--- FAIL")
	assert.Equal(t, 2, d.Hint)
	assert.Equal(t, []string{"TestGood"}, d.Passed)
	assert.Equal(t, "test failed (TestBad)", d.Summary())
}

func TestTasksPassed(t *testing.T) {
	d := Run(recorded(t, "fail"), "fail")
	got := TasksPassed(d, map[int][]string{1: {"TestGood"}, 2: {"TestGood", "TestBad"}, 3: {"TestMissing"}})
	assert.Equal(t, map[int]bool{1: true, 2: false, 3: false}, got)
}

func TestRaceReportsAreTrimmedToLessonFiles(t *testing.T) {
	out := strings.Join([]string{
		"==================",
		"WARNING: DATA RACE",
		"Read at 0x00c000014118 by goroutine 8:",
		"  github.com/x/lessons/04_data_races.(*Counter).Inc()",
		"      /home/me/course/lessons/04_data_races/counter.go:12 +0x3a",
		"  sync.(*WaitGroup).Go.func1()",
		"      /usr/local/go/src/sync/waitgroup.go:239 +0x5d",
		"",
		"Previous write at 0x00c000014118 by goroutine 7:",
		"  github.com/x/lessons/04_data_races.(*Counter).Inc()",
		"      /home/me/course/lessons/04_data_races/counter.go:12 +0x4c",
		"==================",
	}, "\n")
	again := strings.ReplaceAll(out, "0x00c000014118", "0x00c000014120") // the same race on the next element
	got := squash(RaceReports(out+"\n"+again, "04_data_races"))
	assert.Equal(t, "Read at 0x00c000014118 by goroutine 8:\n"+
		" 04_data_races.(*Counter).Inc counter.go:12\n"+
		"Previous write at 0x00c000014118 by goroutine 7:\n"+
		" 04_data_races.(*Counter).Inc counter.go:12", got, "one report, lesson frames only")
	other := strings.ReplaceAll(out, "counter.go:12", "counter.go:20")
	assert.Equal(t, 2, strings.Count(RaceReports(out+"\n"+other, "04_data_races"), "Read at"), "different places are different reports")
}

// squash makes runs of spaces one, so that tests do not depend on how
// frames are aligned.
func squash(s string) string { return spaces.ReplaceAllString(s, " ") }

var spaces = regexp.MustCompile(` +`)

func TestKindSlugs(t *testing.T) {
	assert.Equal(t, "data_race", DataRace.Slug())
	assert.Equal(t, "deadlock_or_hang", Hang.Slug())
	assert.Equal(t, "does_not_compile", BuildFailed.Slug())
}
