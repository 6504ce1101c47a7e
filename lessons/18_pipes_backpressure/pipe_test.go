package pipesbackpressure

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"slices"
	"testing"
	"testing/synctest"
	"time"

	"github.com/gokatas/concurrency/lessons/internal/katatest"
)

const unboundedBuffer = "unbounded buffer between producer and consumer: the producer's Writes returned before the consumer read them, " +
	"so the bytes wait in memory (a bytes.Buffer, a bufio.Writer, a channel of chunks). Connect them with io.Pipe: a Write returns only once it was read"

// checkProgress asserts that the producer's Writes that returned carried
// exactly the whole chunks the consumer has read: io.Pipe's backpressure.
func checkProgress(t *testing.T, p *producer, read int, hint int) {
	t.Helper()
	if want := read / p.size * p.size; p.written() != want {
		means := unboundedBuffer
		if p.written() < want {
			means = "the producer is behind what the consumer read: a Write returned only later than its last byte was read"
		}
		t.Fatal(katatest.Failure{
			Want:  fmt.Sprintf("the consumer read %d bytes, so exactly %d Writes of %d bytes returned (%d bytes)", read, want/p.size, p.size, want),
			Got:   fmt.Sprintf("%d Writes returned (%d bytes)", p.state().returned, p.written()),
			Means: means,
			Hint:  hint,
		})
	}
}

// Task 1: a Write returns only once the consumer has read all of it.
func TestPipe_WriteReturnsWhenRead(t *testing.T) {
	katatest.Bubble(t, 1, func(t *testing.T) {
		p, c := newProducer(4, 1024), gatedConsumer()
		r := startPipe(p, c)
		defer r.drain()
		synctest.Wait()
		checkProgress(t, p, 0, 1)
		for _, step := range []int{512, 511, 1, 2048, 1024} {
			c.read(step)
			checkProgress(t, p, c.read0(), 1)
		}
		o := r.wait(t, 2)
		cs := c.state()
		if o.err != nil || cs.end != io.EOF || !bytes.Equal(cs.got, stream(4, 1024)) {
			t.Error(katatest.Failure{
				Want:  "the consumer reads the 4 chunks, then io.EOF, and Pipe returns nil",
				Got:   fmt.Sprintf("%s; the last Read returned %v; Pipe returned %v", firstDiff(cs.got, stream(4, 1024)), cs.end, o.err),
				Means: "whatever the producer writes must reach the consumer, in order, and the end of the stream must be io.EOF",
				Hint:  2,
			})
		}
	})
}

// Task 1: a consumer that reads a chunk every 100ms makes the producer
// write a chunk every 100ms.
func TestPipe_SlowConsumerPacesProducer(t *testing.T) {
	katatest.Bubble(t, 1, func(t *testing.T) {
		p, c := newProducer(10, 1024), newConsumer(1024)
		c.pace = 100 * time.Millisecond
		o := startPipe(p, c).wait(t, 2)
		var want []time.Duration
		for i := range 10 {
			want = append(want, time.Duration(i+1)*100*time.Millisecond)
		}
		if got := p.state().stamps; !slices.Equal(got, want) {
			t.Fatal(katatest.Failure{
				Want:  "Write i of the producer returns at (i+1)*100ms, when the consumer read it: " + durations(want),
				Got:   durations(got),
				Means: unboundedBuffer,
				Hint:  1,
			})
		}
		if o.err != nil || o.took != 1100*time.Millisecond || !bytes.Equal(c.state().got, stream(10, 1024)) {
			t.Error(katatest.Failure{
				Want:  "Pipe returns nil at 1.1s, when the consumer read io.EOF after the 10th chunk",
				Got:   fmt.Sprintf("%v at %v; %s", o.err, o.took, firstDiff(c.state().got, stream(10, 1024))),
				Means: "Pipe must wait for the consumer to read the whole stream, and for the producer to return",
				Hint:  2,
			})
		}
	})
}

// Task 1: no bytes at all is a stream too.
func TestPipe_EmptyStream(t *testing.T) {
	katatest.Bubble(t, 2, func(t *testing.T) {
		p, c := newProducer(0, 1024), newConsumer(1024)
		o := startPipe(p, c).wait(t, 2)
		if cs := c.state(); o.err != nil || o.took != 0 || cs.end != io.EOF || len(cs.got) != 0 {
			t.Error(katatest.Failure{
				Want:  "the consumer reads io.EOF at once, and Pipe returns nil at once",
				Got:   fmt.Sprintf("Read returned %d bytes and %v; Pipe returned %v after %v", len(cs.got), cs.end, o.err, o.took),
				Means: "a producer that writes nothing must still close the writer, so that the consumer sees the end",
				Hint:  2,
			})
		}
	})
}

// Task 1: a megabyte in chunks the consumer reads in other sizes.
func TestPipe_LongStream(t *testing.T) {
	katatest.Bubble(t, 2, func(t *testing.T) {
		p, c := newProducer(2000, 512), newConsumer(1000)
		o := startPipe(p, c).wait(t, 2)
		if cs := c.state(); o.err != nil || cs.end != io.EOF || !bytes.Equal(cs.got, stream(2000, 512)) {
			t.Error(katatest.Failure{
				Want:  "the consumer reads the 2,000 chunks of 512 bytes in order, then io.EOF; Pipe returns nil",
				Got:   fmt.Sprintf("%s; the last Read returned %v; Pipe returned %v", firstDiff(cs.got, stream(2000, 512)), cs.end, o.err),
				Means: "bytes were lost, reordered or overwritten on the way: the producer reuses its buffer once a Write returned",
				Hint:  2,
			})
		}
	})
}

// Task 2: a producer that fails ends the stream with its error, not io.EOF.
func TestPipe_ProducerErrorReachesConsumer(t *testing.T) {
	katatest.Bubble(t, 3, func(t *testing.T) {
		p, c := newProducer(5, 1024), newConsumer(1024)
		p.failAt, p.fail = 2, errDisk
		o := startPipe(p, c).wait(t, 3)
		cs := c.state()
		if !errors.Is(cs.end, errDisk) {
			t.Fatal(katatest.Failure{
				Want: fmt.Sprintf("the consumer's Read returns %q after the 2 chunks written", errDisk),
				Got:  fmt.Sprintf("it returned %v", cs.end),
				Means: "the producer's error was lost: the consumer saw io.EOF, so a stream that broke off looks complete. " +
					"Close the writer with pw.CloseWithError(err), not pw.Close()",
				Hint: 3,
			})
		}
		if !errors.Is(o.err, errDisk) || !bytes.Equal(cs.got, stream(2, 1024)) {
			t.Error(katatest.Failure{
				Want:  fmt.Sprintf("the consumer got the 2 chunks, and Pipe returns an error wrapping %q", errDisk),
				Got:   fmt.Sprintf("%s; Pipe returned %v", firstDiff(cs.got, stream(2, 1024)), o.err),
				Means: "a failure must come back from Pipe",
				Hint:  3,
			})
		}
	})
}

// Task 2: when the consumer does not fail, Pipe returns the producer's error.
func TestPipe_ProducerErrorReturned(t *testing.T) {
	katatest.Bubble(t, 3, func(t *testing.T) {
		p, c := newProducer(5, 1024), newConsumer(1024)
		p.failAt, p.fail = 5, errDisk // after the last chunk: closing the file failed
		c.lenient = true
		o := startPipe(p, c).wait(t, 3)
		if !errors.Is(o.err, errDisk) {
			t.Error(katatest.Failure{
				Want:  fmt.Sprintf("Pipe returns %q: the producer failed, the consumer returned nil", errDisk),
				Got:   fmt.Sprint(o.err),
				Means: "the producer's error was lost: Pipe returns the consumer's error if it failed, else the producer's",
				Hint:  3,
			})
		}
	})
}

// Task 2: a consumer that fails stops the producer at once, with its error.
func TestPipe_ConsumerErrorStopsProducer(t *testing.T) {
	katatest.Bubble(t, 3, func(t *testing.T) {
		p, c := newProducer(100, 1024), newConsumer(1024)
		c.stopAt, c.stopErr = 1500, errParse // in the middle of chunk 1
		o := startPipe(p, c).wait(t, 3)
		ps := p.state()
		if len(ps.errs) == 0 || !errors.Is(ps.errs[0], errParse) {
			t.Fatal(katatest.Failure{
				Want: fmt.Sprintf("the producer's Write of chunk 1 fails with %q, the consumer's error", errParse),
				Got:  fmt.Sprintf("its Writes returned %v", ps.errs),
				Means: "the consumer's error was lost: the producer's Write got io.ErrClosedPipe, or nothing. " +
					"Close the reader with pr.CloseWithError(err), not pr.Close()",
				Hint: 3,
			})
		}
		if ps.returned != 2 || ps.doneAt != 0 || !errors.Is(o.err, errParse) || o.took != 0 {
			t.Error(katatest.Failure{
				Want:  fmt.Sprintf("the producer stops at once, after 2 Writes, and Pipe returns %q at once", errParse),
				Got:   fmt.Sprintf("%d Writes, the producer returned at %v; Pipe returned %v at %v", ps.returned, ps.doneAt, o.err, o.took),
				Means: "Pipe returns the consumer's error once both sides returned",
				Hint:  3,
			})
		}
	})
}

// Task 2: the consumer's error comes first, and every Write after the
// consumer is gone fails at once: no hang.
func TestPipe_WriteAfterConsumerFailed(t *testing.T) {
	katatest.Bubble(t, 3, func(t *testing.T) {
		p, c := newProducer(100, 1024), newConsumer(1024)
		c.stopAt, c.stopErr = 1500, errParse
		p.stubborn, p.final = true, errClose // it writes on, and then fails to close
		o := startPipe(p, c).wait(t, 3)
		ps := p.state()
		ok := len(ps.errs) == 99
		for _, err := range ps.errs {
			ok = ok && errors.Is(err, errParse)
		}
		if !ok || ps.doneAt != 0 {
			t.Fatal(katatest.Failure{
				Want:  fmt.Sprintf("all 99 Writes after the consumer failed return %q at once", errParse),
				Got:   fmt.Sprintf("%d failed Writes (the first: %v), the producer returned at %v", len(ps.errs), first(ps.errs), ps.doneAt),
				Means: "a Write after the consumer is gone must be an error, not a hang: close the reader with pr.CloseWithError(err)",
				Hint:  3,
			})
		}
		if !errors.Is(o.err, errParse) || errors.Is(o.err, errClose) {
			t.Error(katatest.Failure{
				Want:  fmt.Sprintf("Pipe returns the consumer's error %q, not the producer's %q", errParse, errClose),
				Got:   fmt.Sprint(o.err),
				Means: "Pipe returns the consumer's error if it failed, else the producer's: the consumer's failure is the cause",
				Hint:  3,
			})
		}
	})
}

// Task 2: a consumer that read what it needed and returned nil makes every
// later Write fail with io.ErrClosedPipe.
func TestPipe_ConsumerStopsEarly(t *testing.T) {
	katatest.Bubble(t, 3, func(t *testing.T) {
		p, c := newProducer(5, 1024), newConsumer(1024)
		c.stopAt = 10 // a header is all it needs
		p.stubborn = true
		o := startPipe(p, c).wait(t, 3)
		ps := p.state()
		ok := len(ps.errs) == 5
		for _, err := range ps.errs {
			ok = ok && errors.Is(err, io.ErrClosedPipe)
		}
		if !ok || ps.doneAt != 0 || o.err != nil {
			t.Fatal(katatest.Failure{
				Want:  "the consumer returned nil after 10 bytes: all 5 Writes fail at once with io.ErrClosedPipe, and Pipe returns nil",
				Got:   fmt.Sprintf("%d failed Writes (the first: %v), the producer returned at %v; Pipe returned %v", len(ps.errs), first(ps.errs), ps.doneAt, o.err),
				Means: "a Write after the consumer is gone must be an error, not a hang: close the reader when the consumer returns, even with nil",
				Hint:  3,
			})
		}

		p, c = newProducer(5, 1024), newConsumer(1024)
		c.stopAt = 10
		o = startPipe(p, c).wait(t, 3)
		if !errors.Is(o.err, io.ErrClosedPipe) {
			t.Error(katatest.Failure{
				Want:  "Pipe returns the producer's error, which wraps io.ErrClosedPipe: the consumer returned nil before the end",
				Got:   fmt.Sprint(o.err),
				Means: "the producer's error was lost: Pipe returns the consumer's error if it failed, else the producer's",
				Hint:  3,
			})
		}
	})
}

// Task 2: Pipe returns only once the producer has returned, even when the
// consumer failed long before.
func TestPipe_WaitsForProducer(t *testing.T) {
	katatest.Bubble(t, 3, func(t *testing.T) {
		p, c := newProducer(3, 1024), newConsumer(1024)
		c.stopAt, c.stopErr = 0, errParse
		p.after = time.Second // it closes a file before it returns
		o := startPipe(p, c).wait(t, 3)
		if ps := p.state(); o.took != time.Second || !ps.done || !errors.Is(o.err, errParse) {
			t.Error(katatest.Failure{
				Want:  fmt.Sprintf("Pipe returns %q at 1s, when the producer returned", errParse),
				Got:   fmt.Sprintf("%v at %v (the producer returned: %v)", o.err, o.took, ps.done),
				Means: "Pipe returned while the producer's goroutine still ran: wait for it, or it leaks",
				Hint:  3,
			})
		}
	})
}

func first(errs []error) error {
	if len(errs) == 0 {
		return nil
	}
	return errs[0]
}
