// Mistake: does not compile, so it proves nothing.
//
// Replaces: sum.go
// Kind: test failed
// Expect: anything

package sum

// Sum adds up xs.
func Sum(xs []int) int { return "six" }
