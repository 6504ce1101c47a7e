// Mistake: every chunk gets n/k elements, and the remainder is dropped.
//
// With 8 elements for 4 workers it is right, which is where most people
// try it. With 10 elements the last 2 are in no chunk: no worker scores
// them, and the total is quietly short.
//
// Replaces: chunks.go
// Kind: test failed
// Expect: lost elements

package cpubound

// Chunks splits [0, n) into k ranges of n/k elements each.
func Chunks(n, k int) []Range {
	k = min(max(k, 1), n)
	if k == 0 {
		return nil
	}
	size := n / k
	ranges := make([]Range, k)
	for c := range ranges {
		ranges[c] = Range{c * size, (c + 1) * size}
	}
	return ranges
}
