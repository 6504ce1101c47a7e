package pipesbackpressure

// Pipe runs p in a goroutine of its own and c in the calling goroutine,
// connected by an io.Pipe: whatever p writes, c reads. There is no buffer
// between them: a Write of p returns only once c has read all of it, so a
// slow consumer slows the producer down, and the memory used stays the
// same however long the stream.
//
// When p returns, c reads the end of the stream: io.EOF if p returned nil,
// p's error otherwise (a stream that broke off must not look complete).
//
// When c returns, p's Writes fail at once, the one p may be waiting in and
// every later one: with c's error if c failed, with io.ErrClosedPipe if c
// returned nil before the end. Nothing waits forever for a reader that is
// gone.
//
// Pipe returns once both p and c have returned. It returns c's error if c
// failed, else p's error, else nil.
func Pipe(p Producer, c Consumer) error {
	// TODO: make an io.Pipe, run p in a goroutine that writes to its
	// writer, run c on its reader, close each end with the error of the
	// side that used it, and wait for p.
	return nil
}
