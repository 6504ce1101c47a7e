// Mistake: the loop skips the last element, and the header claims a race.
//
// Replaces: sum.go
// Kind: data race
// Expect: an element was skipped

package sum

// Sum adds up xs.
func Sum(xs []int) int {
	total := 0
	for _, x := range xs[:len(xs)-1] {
		total += x
	}
	return total
}
