package pipesbackpressure

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"strings"
	"sync"
	"testing"
	"testing/synctest"
	"time"

	"github.com/gokatas/concurrency/lessons/internal/katatest"
)

func TestMain(m *testing.M) { katatest.Main(m) }

// This file holds what the tests of Pipe and Tee share: a producer and a
// consumer that record what they did and when, in fake time, and a way to
// wait for the code under test that says who is stuck when it hangs.

// patience is how long, in fake time, the tests wait for Pipe or Tee to
// return before they call it stuck. Every producer and consumer of the
// tests is done long before.
const patience = time.Hour

var (
	errDisk   = errors.New("disk: read error") // a producer's failure
	errParse  = errors.New("parse: bad row")   // a consumer's failure
	errClose  = errors.New("backup: closing the snapshot failed")
	errGaveUp = errors.New("the test gave up waiting")
	errSpin   = errors.New("Read returned 0 bytes and a nil error 100 times in a row: a reader would spin")
)

// streamByte is byte j of chunk i of the tests' streams: every chunk
// differs from the next one in every byte, so a chunk read twice, or a
// buffer overwritten before it was read, shows.
func streamByte(i, j int) byte { return byte(i*31 + j*7 + 1) }

// stream is what a producer of chunks chunks of size bytes writes.
func stream(chunks, size int) []byte {
	s := make([]byte, 0, chunks*size)
	for i := range chunks {
		for j := range size {
			s = append(s, streamByte(i, j))
		}
	}
	return s
}

// A producer writes chunks chunks of size bytes, one Write each, reusing
// one buffer as io.Writer allows.
type producer struct {
	chunks, size int
	failAt       int           // the chunk it fails at (with fail) instead of writing it; -1: never
	fail         error         // its failure
	stubborn     bool          // it writes every chunk even when Writes fail, then returns final
	final        error         // what a stubborn producer returns
	after        time.Duration // how long it takes to return, once done writing (closing a file)
	start        time.Time

	mu       sync.Mutex
	w        io.Writer
	returned int             // Writes that returned
	errs     []error         // what the failed Writes returned
	stamps   []time.Duration // when each Write returned
	done     bool
	doneAt   time.Duration
}

func newProducer(chunks, size int) *producer {
	return &producer{chunks: chunks, size: size, failAt: -1, start: time.Now()}
}

func (p *producer) produce(w io.Writer) (err error) {
	p.mu.Lock()
	p.w = w
	p.mu.Unlock()
	defer func() {
		time.Sleep(p.after)
		p.mu.Lock()
		p.done, p.doneAt = true, time.Since(p.start)
		p.mu.Unlock()
	}()
	buf := make([]byte, p.size)
	for i := range p.chunks {
		if i == p.failAt {
			return p.fail
		}
		for j := range buf {
			buf[j] = streamByte(i, j)
		}
		_, err := w.Write(buf)
		p.mu.Lock()
		p.returned++
		p.stamps = append(p.stamps, time.Since(p.start))
		if err != nil {
			p.errs = append(p.errs, err)
		}
		p.mu.Unlock()
		if err != nil && !p.stubborn {
			return fmt.Errorf("write chunk %d: %w", i, err)
		}
	}
	if p.failAt == p.chunks {
		return p.fail
	}
	if p.stubborn {
		return p.final
	}
	return nil
}

// A producerState is what a producer did up to now.
type producerState struct {
	returned int
	errs     []error
	stamps   []time.Duration
	done     bool
	doneAt   time.Duration
}

func (p *producer) state() producerState {
	p.mu.Lock()
	defer p.mu.Unlock()
	return producerState{p.returned, append([]error(nil), p.errs...), append([]time.Duration(nil), p.stamps...), p.done, p.doneAt}
}

// written is how many bytes the Writes that returned carried.
func (p *producer) written() int { return p.state().returned * p.size }

// A consumer reads until the end of the stream, or until it has read
// stopAt bytes, when it returns stopErr.
type consumer struct {
	steps    chan int      // gated: how many bytes to read next, sent by the test; closed: read freely
	pace     time.Duration // it sleeps this long before each read
	readSize int           // how many bytes it asks for at a time when reading freely
	stopAt   int           // it returns stopErr once it read this many bytes; -1: never
	stopErr  error
	lenient  bool // a failed Read ends it with nil instead of an error
	start    time.Time

	mu       sync.Mutex
	r        io.Reader
	got      []byte
	end      error // what the Read that ended it returned: io.EOF for a clean end
	done     bool
	doneAt   time.Duration
	freeOnce sync.Once
}

// newConsumer returns a consumer that reads freely, readSize bytes at a time.
func newConsumer(readSize int) *consumer {
	return &consumer{readSize: readSize, stopAt: -1, start: time.Now()}
}

// gatedConsumer returns a consumer that reads only what the test tells it.
func gatedConsumer() *consumer {
	c := newConsumer(1024)
	c.steps = make(chan int, 100) // the test never waits to send
	return c
}

// read lets a gated consumer read n more bytes, and waits until it did
// what it could.
func (c *consumer) read(n int) {
	c.steps <- n
	synctest.Wait()
}

// free lets a gated consumer read to the end.
func (c *consumer) free() {
	if c.steps != nil {
		c.freeOnce.Do(func() { close(c.steps) })
	}
}

func (c *consumer) consume(r io.Reader) error {
	c.mu.Lock()
	c.r = r
	c.mu.Unlock()
	finish := func(end error) {
		c.mu.Lock()
		c.end, c.done, c.doneAt = end, true, time.Since(c.start)
		c.mu.Unlock()
	}
	steps := c.steps
	buf := make([]byte, 1<<16)
	want := 0  // bytes still to read before the next step
	empty := 0 // Reads in a row that returned 0, nil
	for {
		c.mu.Lock()
		n := len(c.got)
		c.mu.Unlock()
		if c.stopAt >= 0 && n >= c.stopAt {
			finish(nil)
			return c.stopErr
		}
		if want == 0 {
			want = c.readSize
			if steps != nil {
				if step, ok := <-steps; ok {
					want = step
				} else {
					steps = nil
				}
			}
			time.Sleep(c.pace)
		}
		limit := want
		if c.stopAt >= 0 {
			limit = min(limit, c.stopAt-n)
		}
		k, err := r.Read(buf[:limit])
		c.mu.Lock()
		c.got = append(c.got, buf[:k]...)
		c.mu.Unlock()
		want -= k
		if k == 0 && err == nil {
			if empty++; empty == 100 {
				err = errSpin
			}
		} else {
			empty = 0
		}
		if err != nil {
			finish(err)
			if err == io.EOF || c.lenient {
				return nil
			}
			return fmt.Errorf("read: %w", err)
		}
	}
}

// A consumerState is what a consumer did up to now.
type consumerState struct {
	got    []byte
	end    error
	done   bool
	doneAt time.Duration
}

func (c *consumer) state() consumerState {
	c.mu.Lock()
	defer c.mu.Unlock()
	return consumerState{bytes.Clone(c.got), c.end, c.done, c.doneAt}
}

func (c *consumer) read0() int { return len(c.state().got) }

// An outcome is what Pipe or Tee returned, and when.
type outcome struct {
	err  error
	took time.Duration
}

// A run is Pipe or Tee running in a goroutine of its own.
type run struct {
	name string
	p    *producer
	cs   []*consumer
	out  chan outcome
}

func startPipe(p *producer, c *consumer) *run {
	return start("Pipe", p, []*consumer{c}, func() error { return Pipe(p.produce, c.consume) })
}

func startTee(p *producer, a, b *consumer) *run {
	return start("Tee", p, []*consumer{a, b}, func() error { return Tee(p.produce, a.consume, b.consume) })
}

func start(name string, p *producer, cs []*consumer, f func() error) *run {
	r := &run{name: name, p: p, cs: cs, out: make(chan outcome, 1)}
	begin := time.Now()
	go func() {
		err := f()
		r.out <- outcome{err, time.Since(begin)}
	}()
	return r
}

// drain lets a run end, whatever state a failed test left it in: gated
// consumers read freely, and if that is not enough, the pipes the producer
// and the consumers were given are closed with errGaveUp. Tests defer it.
func (r *run) drain() {
	for _, c := range r.cs {
		c.free()
	}
	select {
	case o := <-r.out:
		r.out <- o
		return
	case <-time.After(patience):
	}
	r.unblock()
	select {
	case o := <-r.out:
		r.out <- o
	case <-time.After(patience):
	}
}

// unblock closes the pipes the producer and the consumers were given.
func (r *run) unblock() {
	for _, c := range r.cs {
		c.mu.Lock()
		closeWith(c.r, errGaveUp)
		c.mu.Unlock()
	}
	r.p.mu.Lock()
	closeWith(r.p.w, errGaveUp)
	r.p.mu.Unlock()
}

// wait lets every gated consumer read to the end and waits for the run to
// return. If it does not, wait says who is stuck, unblocks them (it closes
// the pipes they were given with errGaveUp), and ends the test.
func (r *run) wait(t *testing.T, hint int) outcome {
	t.Helper()
	for _, c := range r.cs {
		c.free()
	}
	select {
	case o := <-r.out:
		r.out <- o // for drain
		return o
	case <-time.After(patience):
	}
	means := r.diagnose()
	r.unblock()
	select {
	case o := <-r.out:
		r.out <- o
	case <-time.After(patience):
	}
	t.Fatal(katatest.Failure{
		Want:  r.name + " returns once the producer and the consumers did",
		Got:   fmt.Sprintf("it had not returned after %v of fake time", patience),
		Means: means,
		Hint:  hint,
	})
	return outcome{}
}

func closeWith(x any, err error) {
	if c, ok := x.(interface{ CloseWithError(error) error }); ok {
		c.CloseWithError(err)
	}
}

// diagnose says who waits for whom in a run that does not return.
func (r *run) diagnose() string {
	ps := r.p.state()
	var waiting, gone []string
	for i, c := range r.cs {
		who := "the consumer"
		if len(r.cs) > 1 {
			who = "consumer " + string(rune('a'+i))
		}
		if cs := c.state(); cs.done {
			gone = append(gone, fmt.Sprintf("%s returned at %v", who, cs.doneAt))
		} else {
			waiting = append(waiting, who)
		}
	}
	switch {
	case ps.done && len(waiting) > 0:
		return fmt.Sprintf("pipe never closed: the producer returned at %v, but the Read of %s still waits for more. "+
			"Close the writer when the producer returns, pw.CloseWithError(err), so that Read returns io.EOF or the producer's error",
			ps.doneAt, strings.Join(waiting, " and "))
	case !ps.done && len(gone) > 0:
		return fmt.Sprintf("a consumer error that leaves the producer blocked forever: %s, but the producer's Write still waits "+
			"for a reader that is gone. Close the reader when its consumer returns, pr.CloseWithError(err), so that the Write fails",
			strings.Join(gone, " and "))
	case ps.done:
		return "the producer and the consumers all returned, but " + r.name + " still waits: for what?"
	}
	return "neither the producer nor any consumer returned: they wait for each other"
}

// firstDiff describes where got first differs from want.
func firstDiff(got, want []byte) string {
	for i := range min(len(got), len(want)) {
		if got[i] != want[i] {
			return fmt.Sprintf("byte %d is %d, want %d (of %d bytes read, %d written)", i, got[i], want[i], len(got), len(want))
		}
	}
	return fmt.Sprintf("%d bytes read, want %d", len(got), len(want))
}

// durations lists durations compactly.
func durations(ds []time.Duration) string {
	s := make([]string, len(ds))
	for i, d := range ds {
		s[i] = d.String()
	}
	return "[" + strings.Join(s, " ") + "]"
}
