// Mistake: the chunk size is rounded up, and the last chunk is cut at n.
//
// ceil(n/k) elements per chunk covers every index, so the total is right.
// But 10 elements for 4 workers are 3, 3, 3 and 1, and 9 elements for 4
// workers leave the fourth worker an empty chunk.
//
// Replaces: chunks.go
// Kind: test failed
// Expect: uneven chunks

package cpubound

// Chunks splits [0, n) into k ranges of ceil(n/k).
func Chunks(n, k int) []Range {
	k = min(max(k, 1), n)
	if k == 0 {
		return nil
	}
	size := (n + k - 1) / k
	ranges := make([]Range, 0, k)
	for lo := 0; lo < n; lo += size {
		ranges = append(ranges, Range{lo, min(lo+size, n)})
	}
	return ranges
}
