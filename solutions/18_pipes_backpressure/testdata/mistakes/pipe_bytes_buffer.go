// Mistake: the "fix" for a blocked producer: a bytes.Buffer between the two sides.
//
// The producer writes the whole stream into memory, then the consumer reads
// it. It never blocks and it passes every test with a ready consumer; but a
// slow consumer no longer slows anything down, and a 10 GiB export takes
// 10 GiB of memory.
//
// Replaces: pipe.go
// Kind: test failed
// Expect: unbounded buffer between producer and consumer

package pipesbackpressure

import "bytes"

func Pipe(p Producer, c Consumer) error {
	var buf bytes.Buffer
	perr := p(&buf)
	if cerr := c(&buf); cerr != nil {
		return cerr
	}
	return perr
}
