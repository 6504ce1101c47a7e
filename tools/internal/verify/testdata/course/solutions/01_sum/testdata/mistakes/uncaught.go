// Mistake: a special case for the test's input, which the tests do not catch.
//
// Replaces: sum.go
// Kind: test failed
// Expect: anything

package sum

// Sum adds up xs.
func Sum(xs []int) int { return 6 }
