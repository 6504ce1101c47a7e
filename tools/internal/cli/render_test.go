package cli

import (
	"bytes"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/gokatas/concurrency/tools/internal/catalog"
	"github.com/gokatas/concurrency/tools/internal/diagnose"
	"github.com/gokatas/concurrency/tools/internal/gotest"
	"github.com/gokatas/concurrency/tools/internal/testjson"
)

// The golden tests of what a learner reads, in the style of gotestsum's
// testjson/format_test.go: each renders a recorded go test -json stream and
// compares the output with a file in testdata/golden. Run
//
//	go test ./tools/internal/cli/ -run Golden -update
//
// to rewrite the golden files after a deliberate change, and read the diff.
var update = flag.Bool("update", false, "rewrite the golden files in testdata/golden")

// streams are the recorded runs of the diagnose package's fixtures
// (see TestRecord there): small packages, some of which fail through the
// course's real test kit.
const streams = "../diagnose/testdata/streams"

// goldenDir is absolute: some tests change the working directory.
var goldenDir, _ = filepath.Abs(filepath.Join("testdata", "golden"))

func golden(t *testing.T, name, got string) {
	t.Helper()
	path := filepath.Join(goldenDir, name+".golden")
	if *update {
		require.NoError(t, os.MkdirAll(filepath.Dir(path), 0o755))
		require.NoError(t, os.WriteFile(path, []byte(got), 0o644))
		return
	}
	want, err := os.ReadFile(path)
	require.NoError(t, err, "no golden file; run with -update to create it")
	assert.Equal(t, string(want), got, "the output differs from %s (run with -update if the change is meant)", path)
}

// recordedOutcome is the outcome of a check that produced the recorded
// stream name, of a package in dir with the given tasks.
func recordedOutcome(t *testing.T, name, dir string, tasks []catalog.Task, edit ...string) *outcome {
	t.Helper()
	out, err := os.ReadFile(filepath.Join(streams, name+".jsonl"))
	require.NoError(t, err)
	data, err := os.ReadFile(filepath.Join(streams, name+".meta.json"))
	require.NoError(t, err)
	var m struct {
		ExitCode    int  `json:"exit_code"`
		TimedOut    bool `json:"timed_out"`
		BuildFailed bool `json:"build_failed"`
	}
	require.NoError(t, json.Unmarshal(data, &m))
	rep, err := testjson.Read(bytes.NewReader(out))
	require.NoError(t, err)
	res := &gotest.Result{Report: rep, Output: out, ExitCode: m.ExitCode, TimedOut: m.TimedOut, BuildFailed: m.BuildFailed,
		Command: "go test -race ./lessons/" + dir}
	o := &outcome{lesson: &catalog.Lesson{Number: 1, Title: "Fixture", Dir: dir}, res: res, race: true, tasks: tasks, edit: edit}
	o.diag = diagnose.Run(res, dir)
	byTask := map[int][]string{}
	for _, task := range tasks {
		byTask[task.Number] = task.Tests
	}
	o.tasksPassed = diagnose.TasksPassed(o.diag, byTask)
	return o
}

func task(n int, tests ...string) catalog.Task { return catalog.Task{Number: n, Tests: tests} }

var lesson08Tasks = []catalog.Task{
	task(1, "TestEmit_SendsEveryEventInOrder", "TestEmit_ClosesAfterTheLastEvent", "TestEmit_NoEvents"),
	task(2, "TestEmit_StopsWhenDoneIsClosed", "TestEmit_DoneClosedBeforeTheFirstEvent", "TestEmit_NothingArrivesAfterDone"),
	task(3, "TestMerge_ForwardsEveryEvent", "TestMerge_KeepsGoingWhenAEndsFirst", "TestMerge_KeepsGoingWhenBEndsFirst", "TestMerge_ClosesAfterBothInputs"),
	task(4, "TestMerge_StopsWhenDoneIsClosed"),
	task(5, "TestGather_CollectsEverySource", "TestGather_ClosesAfterTheLastSource", "TestGather_NoSources", "TestGather_QuietSourcesAroundASlowOne"),
}

// goldenCases are one check per kind a learner can meet.
var goldenCases = []struct {
	golden, stream, dir string
	kind                diagnose.Kind
	tasks               []catalog.Task
	edit                []string
}{
	{"pass", "pass", "pass", diagnose.Passed, []catalog.Task{task(1, "TestOne", "TestTwo")}, nil},
	{"test_failed", "fail", "fail", diagnose.TestFailed, []catalog.Task{task(1, "TestGood"), task(2, "TestBad")}, []string{"fail.go"}},
	{"data_race", "race", "race", diagnose.DataRace, []catalog.Task{task(1, "TestCount")}, []string{"race.go"}},
	{"hang_watchdog", "kit_hang", "hang", diagnose.Hang, []catalog.Task{task(1, "TestQuick"), task(2, "TestTwice")}, []string{"hang.go"}},
	{"synctest_deadlock", "bubble", "bubble", diagnose.Hang, []catalog.Task{task(1, "TestStuckInBubble")}, nil},
	{"leak_bubble", "kit_bubbleleak", "bubbleleak", diagnose.Leak, []catalog.Task{task(1, "TestStart")}, []string{"worker.go"}},
	{"leak_goleak", "kit_mainleak", "mainleak", diagnose.Leak, []catalog.Task{task(1, "TestPoll")}, []string{"poller.go"}},
	{"panic", "panic", "panic", diagnose.Panic, []catalog.Task{task(1, "TestClose")}, nil},
	{"does_not_compile", "compile", "compile", diagnose.BuildFailed, []catalog.Task{task(1, "TestCompile")}, []string{"compile.go"}},
	{"test_timeout", "timeout", "timeout", diagnose.Hang, []catalog.Task{task(1, "TestLockTwice")}, nil},
	{"prose_is_not_a_kind", "kit_prose", "prose", diagnose.TestFailed, []catalog.Task{task(1, "TestMerge_Both"), task(2, "TestMerge_Empty")}, []string{"merge.go"}},
	{"lesson08_starter", "lesson08_starter", "08_channels", diagnose.TestFailed, lesson08Tasks, []string{"emit.go", "gather.go", "merge.go"}},
}

func TestGoldenCheckOutput(t *testing.T) {
	for _, c := range goldenCases {
		t.Run(c.golden, func(t *testing.T) {
			o := recordedOutcome(t, c.stream, c.dir, c.tasks, c.edit...)
			assert.Equal(t, c.kind, o.diag.Kind)
			var b bytes.Buffer
			o.render(&b, false, false)
			golden(t, "check_"+c.golden, b.String())
		})
	}
}

// TestGoldenVerboseKeepsEverything: --verbose prints go test's own output
// and every failure in full.
func TestGoldenVerboseKeepsEverything(t *testing.T) {
	o := recordedOutcome(t, "lesson08_starter", "08_channels", lesson08Tasks, "emit.go")
	var short, verbose bytes.Buffer
	o.render(&short, false, false)
	o.render(&verbose, true, false)
	for _, f := range o.diag.Failures {
		assert.Contains(t, verbose.String(), "\n  "+f.Test+"\n", "every failure in full")
	}
	assert.Contains(t, verbose.String(), "=== RUN", "go test's own output")
	assert.Less(t, strings.Count(short.String(), "\n"), strings.Count(verbose.String(), "\n"))
}

// TestLowestTaskFirst: with several failing tasks, the lowest task's
// failures are shown in full and its hint is the one named, whatever the
// order of the test files.
func TestLowestTaskFirst(t *testing.T) {
	o := recordedOutcome(t, "lesson08_starter", "08_channels", lesson08Tasks)
	groups := o.failureGroups()
	require.NotEmpty(t, groups)
	assert.Equal(t, 1, groups[0].task)
	want := 0
	for _, f := range groups[0].failures {
		if want = diagnose.HintIn(f.Message); want > 0 {
			break
		}
	}
	require.NotZero(t, want, "task 1's messages name a hint")
	assert.Equal(t, want, o.hint())

	reversed := append([]catalog.Task(nil), lesson08Tasks...)
	reversed[0], reversed[4] = task(5, lesson08Tasks[0].Tests...), task(1, lesson08Tasks[4].Tests...)
	o = recordedOutcome(t, "lesson08_starter", "08_channels", reversed)
	assert.Equal(t, 1, o.failureGroups()[0].task)
	assert.Equal(t, lesson08Tasks[4].Tests[0][:len("TestGather")], o.failureGroups()[0].failures[0].Test[:len("TestGather")],
		"the task numbers decide, not the file order")
}

func TestGoldenHelp(t *testing.T) {
	code, out, _ := kata(t, "help")
	assert.Equal(t, 0, code)
	golden(t, "help", out)
}

func TestGoldenOverview(t *testing.T) {
	newCourse(t)
	code, out, _ := kata(t)
	assert.Equal(t, 0, code)
	golden(t, "overview", out)
}
