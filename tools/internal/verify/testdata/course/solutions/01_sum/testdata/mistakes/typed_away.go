// Mistake: returns the wrong type, which the compiler rejects.
//
// Replaces: sum.go
// Expect: cannot use "six"
// Compiles: no

package sum

// Sum adds up xs.
func Sum(xs []int) int { return "six" }
