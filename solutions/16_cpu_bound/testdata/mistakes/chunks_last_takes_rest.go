// Mistake: the last chunk takes the whole remainder.
//
// Every index is in one chunk, so the total is right. But 10 elements for
// 4 workers become 2, 2, 2 and 4: the last worker does twice the work,
// and the other three wait for it. With 4 elements for 8 workers, the
// first chunks are empty.
//
// Replaces: chunks.go
// Kind: test failed
// Expect: uneven chunks

package cpubound

// Chunks splits [0, n) into k ranges of n/k; the last one takes the rest.
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
	ranges[k-1].Hi = n
	return ranges
}
