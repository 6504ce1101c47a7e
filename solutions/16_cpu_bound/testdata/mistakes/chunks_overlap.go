// Mistake: each range's end is counted inclusive, one past where the next begins.
//
// The arithmetic thinks of a chunk as "from lo to hi" with both ends in,
// the way a for loop with <= reads, but a Range is half-open. Every
// element on a boundary lands in two chunks and is scored twice.
//
// Replaces: chunks.go
// Kind: test failed
// Expect: doubled elements

package cpubound

// Chunks splits [0, n) into k ranges; the first n%k hold one more.
func Chunks(n, k int) []Range {
	k = min(max(k, 1), n)
	if k == 0 {
		return nil
	}
	size, extra := n/k, n%k
	ranges := make([]Range, 0, k)
	lo := 0
	for c := range k {
		last := lo + size - 1 // the last index of this chunk
		if c < extra {
			last++
		}
		ranges = append(ranges, Range{lo, min(last+2, n)}) // "last+1 is the end, and one more to be safe"
		lo = last + 1
	}
	return ranges
}
