package verify

import (
	"os"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The recorded outputs in testdata/bench are real `go test -bench` runs of
// lesson 16 on a loaded two-core machine: the solution at -cpu=1,2
// -count=2, and the one-goroutine-per-element mistake at -cpu=2.
func readBench(t *testing.T, name string) []BenchResult {
	t.Helper()
	data, err := os.ReadFile("testdata/bench/" + name)
	require.NoError(t, err)
	return ParseBench(string(data), []int{1, 2})
}

func TestParseBench(t *testing.T) {
	got := readBench(t, "lesson16.txt")
	require.Len(t, got, 8, "one result per Benchmark line; goos, pkg, cpu, PASS and ok are not results")
	assert.Equal(t, BenchResult{Name: "BenchmarkSum", CPU: 1, NsPerOp: 110705815}, got[0], "no -N suffix: GOMAXPROCS 1")
	assert.Equal(t, BenchResult{Name: "BenchmarkSum", CPU: 2, NsPerOp: 55846422}, got[2], "-2: GOMAXPROCS 2, the suffix dropped from the name")
	assert.Equal(t, BenchResult{Name: "BenchmarkSequential", CPU: 2, NsPerOp: 74357096}, got[7])

	assert.Equal(t, []BenchResult{
		{Name: "BenchmarkFoo/size-10", CPU: 4, NsPerOp: 12.5},
		{Name: "BenchmarkFoo/size-10", CPU: 1, NsPerOp: 30},
	}, ParseBench("BenchmarkFoo/size-10-4 \t 1000 \t 12.5 ns/op \t 0 B/op\n"+
		"BenchmarkFoo/size-10 \t 1000 \t 30 ns/op\n"+
		"BenchmarkBar-2 --- FAIL: BenchmarkBar-2\n", []int{1, 4}), "a sub-benchmark's own -10 is part of its name; a FAIL line is no result")
}

func TestSpeedups(t *testing.T) {
	got := speedups(readBench(t, "lesson16.txt"), 2)
	// The medians of two runs each: their means.
	assert.Equal(t, []benchLine{
		{"BenchmarkSum", "1.56x at -cpu=2 over -cpu=1 (86.18ms → 55.29ms per op, medians)"},
		{"BenchmarkSequential", "1.11x at -cpu=2 over -cpu=1 (77ms → 69.66ms per op, medians)"},
	}, got)
	assert.Empty(t, speedups(readBench(t, "lesson16_goroutine_per_element.txt"), 2), "no -cpu=1 result, no speedup")
}

func TestSlowdowns(t *testing.T) {
	got := slowdowns(readBench(t, "lesson16.txt"), readBench(t, "lesson16_goroutine_per_element.txt"), 2)
	assert.Equal(t, []benchLine{
		{"BenchmarkSum", "16.00x the solution's time at -cpu=2 (884.5ms against 55.29ms per op, medians)"},
		{"BenchmarkSequential", "0.90x the solution's time at -cpu=2 (62.77ms against 69.66ms per op, medians)"},
	}, got)
}
