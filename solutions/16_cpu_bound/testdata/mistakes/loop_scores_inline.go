// Mistake: the loop scores the chunks itself, and looks at the queries between chunks.
//
// This is how Node.js keeps a server alive during a long computation:
// split it up, and yield to the event loop between pieces (setImmediate).
// It answers, but only between chunks: while a chunk is being scored,
// and a chunk can take as long as you like, nobody gets an answer. And it
// runs on one processor.
//
// Replaces: report.go
// Kind: test failed
// Expect: the loop stopped answering until the work ends

package cpubound

// Report adds up score(x) chunk by chunk, answering queries between chunks.
func Report(xs []uint64, chunkSize, workers int, score Score, queries <-chan Query) uint64 {
	chunkSize = max(chunkSize, 1)
	p := Progress{Total: len(xs)}
	for lo := 0; lo < len(xs); lo += chunkSize {
		hi := min(lo+chunkSize, len(xs))
		var s uint64
		for _, x := range xs[lo:hi] {
			s += score(x)
		}
		p.Done += hi - lo
		p.Sum += s
		// Yield to the queries that came in meanwhile, as setImmediate would.
		for more := true; more; {
			select {
			case q := <-queries:
				q <- p
			default:
				more = false
			}
		}
	}
	return p.Sum
}
