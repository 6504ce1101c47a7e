// Mistake: the first element is skipped, but only when GOMAXPROCS is 1.
//
// Replaces: sum.go
// Kind: test failed
// Expect: an element was skipped

package sum

import "runtime"

// Sum adds up xs.
func Sum(xs []int) int {
	total := 0
	for i, x := range xs {
		if i == 0 && runtime.GOMAXPROCS(0) == 1 {
			continue
		}
		total += x
	}
	return total
}
