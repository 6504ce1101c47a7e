package cpubound

// Chunks splits the indexes [0, n) of a slice of n elements into k chunks
// for k workers: contiguous ranges, in order, that together hold every
// index exactly once. The first range starts at 0, each next one starts
// where the one before it ends, and the last one ends at n.
//
// The ranges are as even as they can be: their lengths differ by at most
// one, and the longer ones come first (10 elements in 4 chunks are 3, 3,
// 2, 2). No range is empty: with fewer elements than workers there are n
// ranges of one element, and with n = 0 there are none. A k below 1 is
// taken as 1: one range, [0, n).
func Chunks(n, k int) []Range {
	// TODO: n/k elements in each range, and one more in each of the first
	// n%k. Never more ranges than elements.
	return nil
}
