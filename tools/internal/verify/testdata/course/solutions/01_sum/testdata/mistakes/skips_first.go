// Mistake: the loop skips the first element.
//
// Replaces: sum.go
// Kind: test failed
// Expect: an element was skipped

package sum

// Sum adds up xs.
func Sum(xs []int) int {
	total := 0
	for _, x := range xs[1:] {
		total += x
	}
	return total
}
