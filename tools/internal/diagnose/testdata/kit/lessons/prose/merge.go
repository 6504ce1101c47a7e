// Package prose fails with a message that talks about a goroutine leak, and
// a "panic: " in a sentence, but neither leaks nor panics.
package prose

// Merge returns nothing yet.
func Merge(a, b []int) []int { return nil }
