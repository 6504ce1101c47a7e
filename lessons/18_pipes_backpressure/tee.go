package pipesbackpressure

// Tee runs p once and gives its whole stream to both a and b, each in a
// goroutine of its own reading an io.Pipe of its own.
//
// The policy for a slow consumer: the slower of a and b sets the pace.
// Nothing is buffered for the one that falls behind: a Write of p returns
// only once both a and b have read all of it, so neither consumer is more
// than one Write ahead of the other, and memory stays the same however
// far one lags.
//
// The policy for a consumer that stops: the stream is all or nothing. When
// a or b returns before the end of the stream, with or without an error,
// p's next Write fails (with that consumer's error, or io.ErrClosedPipe),
// and the other consumer's Reads fail too: it never sees io.EOF, since it
// did not get a stream the other one finished. When p fails, both
// consumers' Reads return p's error.
//
// Tee returns once p, a and b have all returned. It returns a's error if a
// failed, else b's, else p's, else nil.
func Tee(p Producer, a, b Consumer) error {
	// TODO: one io.Pipe per consumer, p writing to both, each consumer's
	// reader closed with its error, both writers closed with p's.
	return nil
}
