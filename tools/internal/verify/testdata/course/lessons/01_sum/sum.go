// Package sum is a fixture lesson.
package sum

// Sum adds up xs.
func Sum(xs []int) int {
	// TODO: add them up.
	return 0
}
