// Package cpubound is lesson 16: work that needs the processor, not the
// network. Split a computation into chunks (Chunks), score the chunks on
// GOMAXPROCS goroutines at once and merge their partial sums (Sum), and keep
// a loop answering progress queries while the work runs (Report).
//
// This file is fixed: the tests rely on it. The files to edit are
// chunks.go, sum.go and report.go.
package cpubound

// A Score is the work done on one element: the fraud-risk score of one
// payment, say, given its id. It uses only the processor (no I/O, no
// waiting), and it is safe to call from many goroutines at once. The tests
// give their own scores, which count who calls them.
type Score func(x uint64) uint64

// Risk is the score the benchmark uses: a few hundred nanoseconds of
// arithmetic on one payment id, and nothing else.
func Risk(id uint64) uint64 {
	h := id + 0x9E3779B97F4A7C15
	for range 64 {
		h ^= h << 13
		h ^= h >> 7
		h ^= h << 17
		h *= 0xBF58476D1CE4E5B9
	}
	return h % 1000
}

// A Range is the half-open range of indexes [Lo, Hi) of a slice: the
// elements xs[Lo:Hi], Hi-Lo of them.
type Range struct {
	Lo, Hi int
}

// Progress is how far a Report has come: Done of the Total elements are
// scored, in chunks that are finished, and Sum is the sum of their scores.
type Progress struct {
	Done, Total int
	Sum         uint64
}

// A Query asks a Report's loop how far it has come. The loop sends one
// Progress on it. A Query has room for that answer (a buffer of one), so
// the loop never waits to send it.
type Query chan<- Progress
