// Mistake: returns the wrong type, which the compiler rejects.
//
// Replaces: sum.go
// Kind: does not compile
// Expect: cannot use "six"
// Compiles: no

package sum

// Sum adds up xs.
func Sum(xs []int) int { return "six" }
