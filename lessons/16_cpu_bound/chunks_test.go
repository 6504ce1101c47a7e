package cpubound

import (
	"fmt"
	"testing"

	"github.com/gokatas/concurrency/lessons/internal/katatest"
)

// checkChunks fails the test at the first way Chunks(n, k) breaks its
// contract, with what that means.
func checkChunks(t *testing.T, n, k int) {
	t.Helper()
	got := Chunks(n, k)
	call := fmt.Sprintf("Chunks(%d, %d)", n, k)
	fail := func(want, gotText, means string, hint int) {
		t.Helper()
		t.Fatal(katatest.Failure{Want: want, Got: gotText, Means: means, Hint: hint})
	}
	ranges := min(n, max(k, 1))
	if len(got) != ranges {
		switch {
		case n == 0:
			fail(call+" returns no range: there is nothing to split", fmt.Sprintf("%s: %s", katatest.Count(len(got), "range"), short(got)),
				"an empty range is a goroutine started for nothing", 1)
		case k < 1:
			fail(fmt.Sprintf("%s returns one range, [0, %d): a k below 1 is taken as 1", call, n), fmt.Sprintf("%s: %s", katatest.Count(len(got), "range"), short(got)),
				"no worker at all would score nothing; a k below 1 means one worker", 1)
		case n < k:
			fail(fmt.Sprintf("%s returns %s of one element: fewer elements than workers", call, katatest.Count(n, "range")), fmt.Sprintf("%s: %s", katatest.Count(len(got), "range"), short(got)),
				"never more ranges than elements: the extra ones are empty, or the elements were spread wrong", 1)
		default:
			fail(fmt.Sprintf("%s returns %d ranges, one per worker", call, ranges), fmt.Sprintf("%s: %s", katatest.Count(len(got), "range"), short(got)),
				"k workers need k chunks; a size rounded up (ceil(n/k)) can leave the last workers nothing", 1)
		}
	}
	next := 0
	for i, r := range got {
		switch {
		case r.Lo > next:
			fail(fmt.Sprintf("range %d of %s starts at %d, where range %d ends", i, call, next, i-1), fmt.Sprintf("it starts at %d: %s", r.Lo, short(got)),
				fmt.Sprintf("lost elements: wrong chunk boundaries. Indexes %d to %d are in no chunk", next, r.Lo-1), 1)
		case r.Lo < next:
			fail(fmt.Sprintf("range %d of %s starts at %d, where range %d ends", i, call, next, i-1), fmt.Sprintf("it starts at %d: %s", r.Lo, short(got)),
				fmt.Sprintf("doubled elements: wrong chunk boundaries. Indexes %d to %d are in two chunks", r.Lo, next-1), 1)
		case r.Hi <= r.Lo:
			fail(fmt.Sprintf("every range of %s holds at least one index", call), fmt.Sprintf("range %d is %v: %s", i, r, short(got)),
				"an empty range is a goroutine started for nothing; a backwards one slices past its end", 1)
		}
		next = r.Hi
	}
	switch {
	case next < n:
		fail(fmt.Sprintf("the last range of %s ends at %d", call, n), fmt.Sprintf("it ends at %d: %s", next, short(got)),
			fmt.Sprintf("lost elements: wrong chunk boundaries. The last %d indexes are in no chunk: the remainder of n/k was dropped", n-next), 2)
	case next > n:
		fail(fmt.Sprintf("the last range of %s ends at %d", call, n), fmt.Sprintf("it ends at %d: %s", next, short(got)),
			"a range past the end: xs[lo:hi] would panic. Rounding the size up needs the last chunk cut at n", 2)
	}
	for i := 1; i < len(got); i++ {
		a, b := got[i-1].Hi-got[i-1].Lo, got[i].Hi-got[i].Lo
		if b > a || a-b > 1 {
			fail(fmt.Sprintf("ranges of %s whose lengths differ by at most one, the longer ones first", call),
				fmt.Sprintf("range %d holds %d indexes and range %d holds %d: %s", i-1, a, i, b, short(got)),
				"uneven chunks: one worker gets the whole remainder (or an empty end) and the others wait for it. "+
					"Give one extra index to each of the first n%k chunks", 2)
		}
	}
}

// short shows at most the first and last three ranges.
func short(rs []Range) string {
	if len(rs) <= 6 {
		return fmt.Sprint(rs)
	}
	return fmt.Sprintf("%v ... %v", rs[:3], rs[len(rs)-3:])
}

// Task 1: sizes that divide and sizes that do not, every index in one range.
func TestChunks_EveryIndexOnce(t *testing.T) {
	katatest.Bubble(t, 1, func(t *testing.T) {
		for _, c := range [][2]int{{8, 4}, {12, 3}, {7, 1}, {10, 4}, {10, 3}, {11, 4}, {1000, 7}, {5, 2}} {
			checkChunks(t, c[0], c[1])
		}
	})
}

// Task 1: the remainder is spread over the first chunks, not piled on the last.
func TestChunks_Even(t *testing.T) {
	katatest.Bubble(t, 2, func(t *testing.T) {
		for _, c := range [][2]int{{10, 4}, {15, 4}, {23, 8}, {2, 2}, {9, 5}} {
			checkChunks(t, c[0], c[1])
		}
		// 10 elements in 4 chunks, exactly as the doc comment says.
		got, wantRanges := Chunks(10, 4), []Range{{0, 3}, {3, 6}, {6, 8}, {8, 10}}
		if fmt.Sprint(got) != fmt.Sprint(wantRanges) {
			t.Fatal(katatest.Failure{
				Want:  fmt.Sprintf("Chunks(10, 4) = %v: lengths 3, 3, 2, 2", wantRanges),
				Got:   fmt.Sprint(got),
				Means: "the chunks are not the ones the contract names",
				Hint:  2,
			})
		}
	})
}

// Task 1: far more elements than workers, as in a day's payments.
func TestChunks_ManyElements(t *testing.T) {
	katatest.Bubble(t, 2, func(t *testing.T) {
		for _, c := range [][2]int{{100_003, 8}, {1_000_000, 7}, {2_000_001, 2}, {65_537, 16}} {
			checkChunks(t, c[0], c[1])
		}
	})
}

// Task 1: fewer elements than workers (GOMAXPROCS-1 of them, say), one, none.
func TestChunks_FewElements(t *testing.T) {
	katatest.Bubble(t, 1, func(t *testing.T) {
		k := max(procs(), 2)
		for _, c := range [][2]int{{k - 1, k}, {3, 4}, {1, 4}, {1, 1}, {2, 8}, {0, 4}, {0, 1}} {
			checkChunks(t, c[0], c[1])
		}
	})
}

// Task 1: a k below 1 is taken as 1.
func TestChunks_KBelowOne(t *testing.T) {
	katatest.Bubble(t, 1, func(t *testing.T) {
		for _, c := range [][2]int{{5, 0}, {5, -3}, {1, 0}, {0, 0}} {
			checkChunks(t, c[0], c[1])
		}
	})
}
