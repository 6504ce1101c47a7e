package cpubound

// Report returns the sum of score(x) over every element x of xs, as Sum
// does, and keeps answering queries while it works. The goroutine that
// calls Report is the loop: it answers every Query received on queries,
// at once, with the Progress so far, until the work is done.
//
// The elements are scored in chunks of chunkSize elements, in order:
// chunk c holds the indexes [c*chunkSize, (c+1)*chunkSize), and the last
// chunk may be shorter. A chunkSize below 1 is taken as 1. The chunks are
// scored by workers goroutines (a workers below 1 means
// runtime.GOMAXPROCS(0)), all of them at once, each taking chunk after
// chunk: never more than workers goroutines score, and never a goroutine
// per chunk. The loop scores nothing itself, so it can answer a query even
// while every worker is in the middle of a long chunk.
//
// When a worker finishes a chunk, it sends the chunk's partial sum and
// length to the loop, and the loop adds them to its Progress: Done grows by
// the chunk's length and Sum by its partial sum, in one step, so that a
// Progress is always the sum of whole, finished chunks. Total is len(xs).
// The loop alone holds the Progress; the workers share no total.
//
// Report returns once every chunk has been added, and only when every
// goroutine it started has returned. With no elements it returns 0 at
// once and calls score never. Queries sent after Report returned are not
// answered.
func Report(xs []uint64, chunkSize, workers int, score Score, queries <-chan Query) uint64 {
	// TODO: this scores every chunk on the loop itself, the way a Node.js
	// handler blocks the main thread: no query is answered until the work
	// is done. Start the workers, have them send each chunk's result to
	// the loop on a channel, and make the loop a select between those
	// results and the queries.
	p := Progress{Total: len(xs)}
	for _, x := range xs {
		p.Sum += score(x)
		p.Done++
	}
	return p.Sum
}
