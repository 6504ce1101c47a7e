// Mistake: there are always k ranges, even with fewer elements than workers.
//
// With 3 elements for 4 workers, one range is empty, and Sum starts a
// goroutine that has nothing to do. That is cheap here, but the same code
// with n = 0 starts k goroutines to add up nothing.
//
// Replaces: chunks.go
// Kind: test failed
// Expect: never more ranges than elements

package cpubound

// Chunks splits [0, n) into k ranges; the first n%k hold one more.
func Chunks(n, k int) []Range {
	k = max(k, 1)
	size, extra := n/k, n%k
	ranges := make([]Range, 0, k)
	lo := 0
	for c := range k {
		hi := lo + size
		if c < extra {
			hi++
		}
		ranges = append(ranges, Range{lo, hi})
		lo = hi
	}
	return ranges
}
