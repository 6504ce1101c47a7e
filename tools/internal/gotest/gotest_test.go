package gotest

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The fixtures are shared with package diagnose.
var fixtures, _ = filepath.Abs("../diagnose/testdata/fixtures")

func TestPass(t *testing.T) {
	res, err := Run(context.Background(), Options{Dir: fixtures, Package: "./pass", Count: 2, CPU: "1,2", Shuffle: true})
	require.NoError(t, err)
	assert.True(t, res.Passed(), "%s", res.Output)
	p := res.Report.Packages["fixtures/pass"]
	require.NotNil(t, p)
	assert.Equal(t, "pass", p.Tests["TestOne"].Action)
	assert.Equal(t, "go test -count=2 -cpu=1,2 -shuffle=on ./pass", res.Command)
}

// TestRaceStillReported proves that skipping the race runtime's exit sleep
// loses no race report.
func TestRaceStillReported(t *testing.T) {
	res, err := Run(context.Background(), Options{Dir: fixtures, Package: "./race", Race: true})
	require.NoError(t, err)
	assert.False(t, res.Passed())
	assert.Contains(t, res.Report.AllText(), "WARNING: DATA RACE")
	assert.Equal(t, "fail", res.Report.Packages["fixtures/race"].Tests["TestCount"].Action)
}

func TestCompileError(t *testing.T) {
	res, err := Run(context.Background(), Options{Dir: fixtures, Package: "./compile"})
	require.NoError(t, err)
	assert.True(t, res.BuildFailed)
	assert.False(t, res.Passed())
	assert.Contains(t, res.Report.Packages["fixtures/compile"].BuildOutput, "cannot use")
}

// TestSpinningInitIsStopped proves that a test binary that never reaches its
// tests is killed at the bound, not left to spin.
func TestSpinningInitIsStopped(t *testing.T) {
	res, err := Run(context.Background(), Options{Dir: fixtures, Package: "./spin", Timeout: 500 * time.Millisecond})
	require.NoError(t, err)
	assert.True(t, res.TimedOut)
	assert.False(t, res.Passed())
	assert.Equal(t, -1, res.ExitCode)
}

// TestBinDirKeepsTheBinary proves that a kept binary is reused only while
// the package is unchanged: an edit is compiled and run.
func TestBinDirKeepsTheBinary(t *testing.T) {
	dir := t.TempDir()
	require.NoError(t, os.CopyFS(dir, os.DirFS(filepath.Join(fixtures, "pass"))))
	require.NoError(t, os.WriteFile(filepath.Join(dir, "go.mod"), []byte("module kept\n\ngo 1.25.0\n"), 0o644))
	bins := t.TempDir()
	opts := Options{Dir: dir, Package: ".", BinDir: bins}
	res, err := Run(context.Background(), opts)
	require.NoError(t, err)
	assert.True(t, res.Passed(), "%s", res.Output)
	kept, err := filepath.Glob(filepath.Join(bins, "*.test*"))
	require.NoError(t, err)
	assert.Len(t, kept, 1)

	require.NoError(t, os.WriteFile(filepath.Join(dir, "pass_test.go"),
		[]byte("package pass\n\nimport \"testing\"\n\nfunc TestOne(t *testing.T) { t.Fatal(\"edited\") }\n"), 0o644))
	res, err = Run(context.Background(), opts)
	require.NoError(t, err)
	assert.False(t, res.Passed(), "the edit must be compiled, not the kept binary run")
	assert.Contains(t, res.Report.AllText(), "edited")

	require.NoError(t, os.Remove(filepath.Join(dir, "pass_test.go")))
	res, err = Run(context.Background(), opts)
	require.NoError(t, err)
	for _, p := range res.Report.Packages {
		assert.Empty(t, p.Tests, "no test files: the kept binary is not run")
	}
}

func TestCancelIsAnError(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, err := Run(ctx, Options{Dir: fixtures, Package: "./pass"})
	assert.ErrorIs(t, err, context.Canceled)
}

func TestCommand(t *testing.T) {
	assert.Equal(t, "go test -race ./lessons/01_goroutines", Command(Options{Race: true, Package: "./lessons/01_goroutines"}))
	flags := strings.Join(testFlags(Options{Count: 3, CPU: "1,4", Shuffle: true, Timeout: time.Minute}), " ")
	assert.Equal(t, "-test.v=test2json -test.count=3 -test.cpu=1,4 -test.shuffle=on -test.timeout=1m0s", flags)
}

func TestProbeFindsTest2JSON(t *testing.T) {
	tc, err := Probe(context.Background())
	require.NoError(t, err)
	assert.True(t, strings.HasPrefix(tc.GoVersion, "go"), tc.GoVersion)
	cache := filepath.Join(t.TempDir(), "toolchain.json")
	path, err := FindTest2JSON(context.Background(), tc.GoVersion, cache)
	require.NoError(t, err)
	again, err := FindTest2JSON(context.Background(), tc.GoVersion, cache)
	require.NoError(t, err)
	assert.Equal(t, path, again, "the second call reads the cache")
	require.NoError(t, os.WriteFile(cache, []byte(`{"go_version":"`+tc.GoVersion+`","test2json":"/nonexistent/test2json"}`), 0o644))
	again, err = FindTest2JSON(context.Background(), tc.GoVersion, cache)
	require.NoError(t, err)
	assert.Equal(t, path, again, "a cached path that no longer exists is looked up again")

	res, err := Run(context.Background(), Options{Dir: fixtures, Package: "./pass", Test2JSON: path})
	require.NoError(t, err)
	assert.True(t, res.Passed(), "%s", res.Output)
	assert.Equal(t, "pass", res.Report.Packages["fixtures/pass"].Tests["TestOne"].Action)
}

func TestProbeExplainsNoRace(t *testing.T) {
	tc, err := Probe(context.Background())
	require.NoError(t, err)
	if !tc.Race {
		assert.NotEmpty(t, tc.NoRaceWhy, "when -race cannot work, the reason is given")
	}
}

// The rerun fixtures end their test binary early in each way a lesson can.
var rerunFixtures, _ = filepath.Abs("testdata/rerun")

func runRerun(t *testing.T, pkg string, budget time.Duration) *Result {
	t.Helper()
	res, err := Run(context.Background(), Options{Dir: rerunFixtures, Package: "./" + pkg, Timeout: 20 * time.Second, Rerun: budget})
	require.NoError(t, err)
	return res
}

func actions(res *Result, pkg string) map[string]string {
	out := map[string]string{}
	for name, tt := range res.Report.Packages["rerun/"+pkg].Tests {
		out[name] = tt.Action
	}
	return out
}

// TestRerunAfterACrash proves that the tests a crashed binary never reached
// run again and that their verdicts are merged with the first run's.
func TestRerunAfterACrash(t *testing.T) {
	res := runRerun(t, "crash", time.Minute)
	assert.Equal(t, map[string]string{"TestA": "pass", "TestB": "fail", "TestC": "pass", "TestD": "fail"}, actions(res, "crash"))
	require.Len(t, res.Reruns, 1)
	assert.Equal(t, []string{"TestC", "TestD"}, res.Reruns[0].Tests)
	assert.Equal(t, "the test binary ended during TestB", res.Reruns[0].Why)
	assert.Empty(t, res.NotRun)
	assert.False(t, res.Passed())
	assert.NotEqual(t, 0, res.ExitCode, "the first run's exit status stands")
	assert.Equal(t, "fail", res.Report.Packages["rerun/crash"].Action)
	assert.Contains(t, res.Report.AllText(), "panic: boom", "the first run's evidence is kept")
	assert.Contains(t, res.Report.AllText(), "D fails on its own")
}

// TestNoRerunWithoutTheOption keeps the old behaviour for callers such as
// verify that do not ask.
func TestNoRerunWithoutTheOption(t *testing.T) {
	res := runRerun(t, "crash", 0)
	assert.Equal(t, map[string]string{"TestA": "pass", "TestB": "fail"}, actions(res, "crash"))
	assert.Empty(t, res.Reruns)
}

func TestRerunAsOftenAsNeeded(t *testing.T) {
	res := runRerun(t, "chain", time.Minute)
	assert.Equal(t, map[string]string{"TestA": "fail", "TestB": "pass", "TestC": "fail", "TestD": "pass"}, actions(res, "chain"))
	require.Len(t, res.Reruns, 2)
	assert.Equal(t, []string{"TestB", "TestC", "TestD"}, res.Reruns[0].Tests)
	assert.Equal(t, "the test binary ended after TestA", res.Reruns[0].Why)
	assert.Equal(t, []string{"TestD"}, res.Reruns[1].Tests)
	assert.Equal(t, "the test binary ended after TestC", res.Reruns[1].Why)
	assert.Empty(t, res.NotRun)
}

// TestRerunParallelTestsLeftWaiting: tests paused in t.Parallel when the
// binary ended never ran their bodies, so they run again.
func TestRerunParallelTestsLeftWaiting(t *testing.T) {
	res := runRerun(t, "parallel", time.Minute)
	assert.Equal(t, map[string]string{"TestP1": "pass", "TestP2": "pass", "TestX": "fail"}, actions(res, "parallel"))
	require.Len(t, res.Reruns, 1)
	assert.Equal(t, []string{"TestP1", "TestP2"}, res.Reruns[0].Tests)
}

func TestRerunAfterExit(t *testing.T) {
	res := runRerun(t, "exit", time.Minute)
	assert.Equal(t, map[string]string{"TestA": "fail", "TestB": "pass"}, actions(res, "exit"))
	require.Len(t, res.Reruns, 1)
	assert.Equal(t, "the test binary ended during TestA", res.Reruns[0].Why)
	assert.False(t, res.Passed())
}

// TestRerunBounded: when the time allowed is spent, the tests not reached
// are reported as not run, not as passed or failed.
func TestRerunBounded(t *testing.T) {
	res := runRerun(t, "crash", time.Nanosecond)
	assert.Empty(t, res.Reruns)
	assert.Equal(t, []string{"TestC", "TestD"}, res.NotRun)
	assert.Equal(t, map[string]string{"TestA": "pass", "TestB": "fail"}, actions(res, "crash"))
}

// TestNoRerunWhenNoTestIsReached: a binary that ends before its first test
// would end the same way again.
func TestNoRerunWhenNoTestIsReached(t *testing.T) {
	res := runRerun(t, "initpanic", time.Minute)
	assert.Empty(t, res.Reruns)
	assert.False(t, res.Passed())
	assert.Contains(t, res.Report.AllText(), "panic: init")
}
