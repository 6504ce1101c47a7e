package cancellation

import (
	"context"
	"errors"
	"fmt"
	"io"
	"sync"
	"testing"
	"testing/synctest"
	"time"

	"github.com/gokatas/concurrency/lessons/internal/katatest"
	"github.com/gokatas/concurrency/tools/evidence"
)

// A fakeSource has rows rows; each Next takes 10ms of fake time and cannot
// be interrupted. If failAt > 0, the failAt-th call of Next fails with err.
type fakeSource struct {
	begin  time.Time
	rows   int
	failAt int
	err    error

	mu     sync.Mutex      // protects starts
	starts []time.Duration // when each Next started, since the test began
}

func (s *fakeSource) Next() (Row, error) {
	s.mu.Lock()
	s.starts = append(s.starts, time.Since(s.begin))
	n := len(s.starts)
	s.mu.Unlock()

	time.Sleep(ms(10))
	switch {
	case n == s.failAt:
		return Row{}, s.err
	case n > s.rows:
		return Row{}, io.EOF
	}
	return Row{ID: n, Total: 100 * n}, nil
}

// startsAfter returns the start times of the Next calls that began after at.
func (s *fakeSource) startsAfter(at time.Duration) []time.Duration {
	s.mu.Lock()
	defer s.mu.Unlock()
	var late []time.Duration
	for _, st := range s.starts {
		if st > at {
			late = append(late, st)
		}
	}
	return late
}

// inNext reports whether a call of Next was running at at: it had started
// and its 10ms were not over.
func (s *fakeSource) inNext(at time.Duration) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, st := range s.starts {
		if st <= at && at < st+ms(10) {
			return true
		}
	}
	return false
}

// overlapped reports whether a Next of src started while a Put of dst was
// storing a row: whether rows were read in a goroutine of their own.
func overlapped(src *fakeSource, dst *fakeSink) bool {
	src.mu.Lock()
	defer src.mu.Unlock()
	dst.mu.Lock()
	defer dst.mu.Unlock()
	for _, st := range src.starts {
		for _, p := range dst.puts {
			if p.at < st && st < p.at+ms(32) {
				return true
			}
		}
	}
	return false
}

// A fakeSink stores rows; each Put takes 32ms of fake time, or ends early
// with ctx.Err() when ctx is done. If failAt > 0, the failAt-th Put fails
// with err at its end.
type fakeSink struct {
	begin  time.Time
	failAt int
	err    error

	// afterStore, if set, is called when the n-th Put has stored its row,
	// just before that Put returns nil.
	afterStore func(n int)

	mu          sync.Mutex    // protects the fields below
	puts        []putStart    // every Put call, in order
	stored      []Row         // rows stored, in order
	cancelledAt time.Duration // when a Put first saw its context done; -1 if never
}

// A putStart records how a Put call began.
type putStart struct {
	row     int           // the ID of the row it was given
	at      time.Duration // when it started, since the test began
	ctxDone bool          // its context was already done when it started
}

func (s *fakeSink) Put(ctx context.Context, r Row) error {
	s.mu.Lock()
	s.puts = append(s.puts, putStart{row: r.ID, at: time.Since(s.begin), ctxDone: ctx.Err() != nil})
	n := len(s.puts)
	s.mu.Unlock()

	timer := time.NewTimer(ms(32))
	defer timer.Stop()
	select {
	case <-timer.C:
	case <-ctx.Done():
		s.mu.Lock()
		if s.cancelledAt < 0 {
			s.cancelledAt = time.Since(s.begin)
		}
		s.mu.Unlock()
		return ctx.Err()
	}
	if n == s.failAt {
		return s.err
	}
	s.mu.Lock()
	s.stored = append(s.stored, r)
	s.mu.Unlock()
	if s.afterStore != nil {
		s.afterStore(n)
	}
	return nil
}

// latePut returns the first Put that started after the stop at stop, or
// with its context already done; ok is false if there was none.
func (s *fakeSink) latePut(stop time.Duration) (p putStart, ok bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, p := range s.puts {
		if p.ctxDone || p.at > stop {
			return p, true
		}
	}
	return putStart{}, false
}

func (s *fakeSink) state() (stored []Row, cancelledAt time.Duration) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Row(nil), s.stored...), s.cancelledAt
}

// newExport returns a source of rows rows and a sink, both timed from now.
func newExport(rows int) (*fakeSource, *fakeSink) {
	now := time.Now()
	return &fakeSource{begin: now, rows: rows}, &fakeSink{begin: now, cancelledAt: -1}
}

const (
	fullChannelMeans = "producer blocked on a full channel: the consumer stopped, but the producer was never told, " +
		"and it waits forever to send a row that nobody will receive. Send in a select with a case <-ctx.Done(), " +
		"and cancel that context when the consumer stops for any reason"
	leftoverMeans = "goroutine leak: something Export started is blocked forever after Export stopped"
)

// stopsAt checks that the Export whose outcome comes on out returns
// exactly at at, since begin: not 1ns earlier, and not later. It waits up
// to an hour for a late one; ok is false if none came.
func stopsAt(r *report, begin time.Time, src *fakeSource, dst *fakeSink, out <-chan outcome, at time.Duration, why string) (o outcome, ok bool) {
	r.t.Helper()
	katatest.Advance(at - time.Since(begin) - time.Nanosecond)
	if o, ok := returned(out); ok {
		f := katatest.Failure{
			Want:  fmt.Sprintf("Export returns at %v, %s", at, why),
			Got:   fmt.Sprintf("it returned %s at %v", errText(o.err), o.at),
			Means: "Export returned before the producer stopped: its goroutine is still inside Next, and outlives Export",
			Hint:  6,
		}
		leak := false
		switch {
		case src.inNext(o.at):
			leak = true // the producer goroutine outlives Export
		case !overlapped(src, dst):
			f.Got += ", while no Next was running"
			f.Means = "no row was ever read while another was stored: Export reads the rows itself, one after " +
				"the other, with no producer goroutine. Read them in a producer goroutine (as TestExport_CopiesEveryRow asks), and when ctx " +
				"is done, wait for it to finish its Next before Export returns"
		default:
			f.Got += ", while no Next was running"
			f.Means = "Export returned too early: return once the producer goroutine has finished (wait for it), " +
				"not before"
		}
		if leak {
			r.t.Error(evidence.Errorf(evidence.Leak, r.t.Name(), "%s", f))
		} else {
			r.fail(f)
		}
		return o, true
	}
	katatest.Advance(time.Nanosecond)
	if o, ok := returned(out); ok {
		return o, true
	}
	o, ok = await(out)
	got := "it had not returned an hour later"
	if ok {
		got = fmt.Sprintf("it returned %s at %v", errText(o.err), o.at)
	}
	r.fail(katatest.Failure{
		Want: fmt.Sprintf("Export returns at %v, %s", at, why),
		Got:  got,
		Means: "Export did not stop both sides at once. If it never returns, it waits for a producer " +
			"blocked on a full channel",
		Hint: 5,
	})
	return o, ok
}

// noLateNext checks that no Next started after the stop at stop.
func noLateNext(r *report, src *fakeSource, stop time.Duration) {
	r.t.Helper()
	if late := src.startsAfter(stop); len(late) > 0 {
		r.fail(katatest.Failure{
			Want: fmt.Sprintf("no Next starts after the export stopped at %v", stop),
			Got:  fmt.Sprintf("%s of Next started later, the first at %v", katatest.Count(len(late), "call"), late[0]),
			Means: "the producer started a Next after the stop: work continues after cancel. Check the context " +
				"before each Next (`for ctx.Err() == nil`), and send in a select with a case <-ctx.Done()",
			Hint: 5,
		})
	}
}

// noLatePut checks that the consumer started no Put after the stop at stop.
func noLatePut(r *report, dst *fakeSink, stop time.Duration) {
	r.t.Helper()
	if p, late := dst.latePut(stop); late {
		ctxState := "live"
		if p.ctxDone {
			ctxState = "already done"
		}
		r.fail(katatest.Failure{
			Want: fmt.Sprintf("no Put starts after the export stopped at %v", stop),
			Got:  fmt.Sprintf("Put of row %d started at %v, with its context %s", p.row, p.at, ctxState),
			Means: "Put after cancel: the consumer went on storing buffered rows after the stop. The channel " +
				"still holds rows: a bare `for r := range rows` takes them all, and a select with a case " +
				"<-ctx.Done() picks at random when a row is ready too. Check ctx.Err() after receiving a row, " +
				"before each Put, and stop receiving when it is done",
			Hint: 5,
		})
	}
}

// Task 4: every row arrives, in order, with reading and storing overlapped.
func TestExport_CopiesEveryRow(t *testing.T) {
	katatest.Bubble(t, 5, func(t *testing.T) {
		r := &report{t: t}
		src, dst := newExport(5)
		var err error
		took := katatest.Elapsed(func() { err = Export(context.Background(), src, dst) })
		stored, _ := dst.state()
		for i, row := range stored {
			if row.ID != i+1 {
				r.fail(katatest.Failure{
					Want:  fmt.Sprintf("stored row %d is row %d", i, i+1),
					Got:   fmt.Sprintf("row %d", row.ID),
					Means: "rows out of order: one producer and one consumer keep the order of the source",
					Hint:  5,
				})
				break
			}
		}
		if err != nil || len(stored) != 5 {
			r.fail(katatest.Failure{
				Want:  "Export returns nil with all 5 rows stored",
				Got:   fmt.Sprintf("%s with %s stored", errText(err), katatest.Count(len(stored), "row")),
				Means: "Export must copy every row up to io.EOF, which is the end, not an error",
				Hint:  5,
			})
		}
		if took != ms(170) {
			r.fail(katatest.Failure{
				Want: "Export takes 170ms: the first row is read at 10ms, then 5 rows are stored at 32ms each " +
					"while the next ones are read",
				Got: took.String(),
				Means: "reading and storing did not overlap (220ms is one after the other: 6 × 10ms + 5 × 32ms). " +
					"Read in a producer goroutine and store in Export",
				Hint: 5,
			})
		}
		r.noLeftovers(fullChannelMeans, leftoverMeans, 6)
	})
}

// Task 4: the caller cancels while the producer is blocked on a full
// channel and the consumer is inside Put. Both must stop at that instant.
func TestExport_CancelStopsBothSides(t *testing.T) {
	errClientGone := errors.New("client closed the connection")
	katatest.Bubble(t, 5, func(t *testing.T) {
		r := &report{t: t}
		begin := time.Now()
		src, dst := newExport(100)
		ctx, cancel := context.WithCancelCause(context.Background())
		defer cancel(nil)
		// At 95ms the sink is storing row 3 (74ms to 106ms), and the producer
		// has read row 8 and waits for room in the full channel.
		time.AfterFunc(ms(95), func() { cancel(errClientGone) })
		out := start(begin, func() error { return Export(ctx, src, dst) })

		o, ok := stopsAt(r, begin, src, dst, out, ms(95), "the instant ctx is cancelled")
		if ok && !errors.Is(o.err, errClientGone) {
			r.fail(katatest.Failure{
				Want:  fmt.Sprintf("Export returns the caller's cause, %s", errText(errClientGone)),
				Got:   errText(o.err),
				Means: "Export returned ctx.Err() (or Put's copy of it) instead of the cause. Return context.Cause(ctx)",
				Hint:  2,
			})
		}
		if _, at := dst.state(); at != ms(95) {
			r.fail(katatest.Failure{
				Want:  "the Put in progress sees its context done at 95ms",
				Got:   "Put's context was done: " + instant(at, "never"),
				Means: "the consumer did not pass Export's context to Put",
				Hint:  5,
			})
		}
		noLateNext(r, src, ms(95))
		noLatePut(r, dst, ms(95))
		r.noLeftovers(fullChannelMeans, leftoverMeans, 5)
	})
}

// Task 4: the caller cancels while the producer is inside Next, which
// cannot be interrupted. Export returns when that Next is over, not before.
func TestExport_WaitsForTheProducer(t *testing.T) {
	errClientGone := errors.New("client closed the connection")
	katatest.Bubble(t, 6, func(t *testing.T) {
		r := &report{t: t}
		begin := time.Now()
		src, dst := newExport(100)
		ctx, cancel := context.WithCancelCause(context.Background())
		defer cancel(nil)
		// At 65ms the sink is storing row 2 (42ms to 74ms), the channel is
		// full, and the producer is reading row 7 (60ms to 70ms).
		time.AfterFunc(ms(65), func() { cancel(errClientGone) })
		out := start(begin, func() error { return Export(ctx, src, dst) })

		o, ok := stopsAt(r, begin, src, dst, out, ms(70), "when the producer's Next (60ms to 70ms) is over")
		if ok && !errors.Is(o.err, errClientGone) {
			r.fail(katatest.Failure{
				Want:  fmt.Sprintf("Export returns the caller's cause, %s", errText(errClientGone)),
				Got:   errText(o.err),
				Means: "Export returned ctx.Err() (or Put's copy of it) instead of the cause. Return context.Cause(ctx)",
				Hint:  2,
			})
		}
		noLateNext(r, src, ms(65))
		noLatePut(r, dst, ms(65))
		r.noLeftovers(fullChannelMeans, leftoverMeans, 6)
	})
}

// Task 4: the sink fails while the producer is blocked on a full channel.
// The producer must be told.
func TestExport_SinkErrorStopsTheProducer(t *testing.T) {
	errDiskFull := errors.New("export file: disk full")
	katatest.Bubble(t, 5, func(t *testing.T) {
		r := &report{t: t}
		begin := time.Now()
		src, dst := newExport(100)
		dst.failAt, dst.err = 2, errDiskFull // storing row 2 fails at 74ms
		out := start(begin, func() error { return Export(context.Background(), src, dst) })

		o, ok := stopsAt(r, begin, src, dst, out, ms(74), "the instant storing row 2 fails")
		if ok && !errors.Is(o.err, errDiskFull) {
			r.fail(katatest.Failure{
				Want:  fmt.Sprintf("Export returns the sink's error, %s", errText(errDiskFull)),
				Got:   errText(o.err),
				Means: "the sink's error was lost",
				Hint:  5,
			})
		}
		noLateNext(r, src, ms(74))
		noLatePut(r, dst, ms(74))
		r.noLeftovers(fullChannelMeans, leftoverMeans, 5)
	})
}

// Task 4: the source fails while the consumer is inside Put. The consumer
// must be told.
func TestExport_SourceErrorStopsTheConsumer(t *testing.T) {
	errDBGone := errors.New("orders database: connection reset")
	katatest.Bubble(t, 5, func(t *testing.T) {
		r := &report{t: t}
		begin := time.Now()
		src, dst := newExport(100)
		src.failAt, src.err = 3, errDBGone // reading row 3 fails at 30ms
		out := start(begin, func() error { return Export(context.Background(), src, dst) })

		o, ok := stopsAt(r, begin, src, dst, out, ms(30), "the instant reading row 3 fails")
		if ok && !errors.Is(o.err, errDBGone) {
			r.fail(katatest.Failure{
				Want: fmt.Sprintf("Export returns the source's error, %s", errText(errDBGone)),
				Got:  errText(o.err),
				Means: "the source's error was lost: the export looks complete, or cancelled, but rows are " +
					"missing. Pass the error on, for example as the cause of Export's own context",
				Hint: 5,
			})
		}
		if _, at := dst.state(); at != ms(30) {
			r.fail(katatest.Failure{
				Want:  "the Put in progress (row 1, 10ms to 42ms) sees its context done at 30ms",
				Got:   "Put's context was done: " + instant(at, "never"),
				Means: "the consumer went on storing rows after the source had failed: cancel Export's context when the producer fails",
				Hint:  5,
			})
		}
		noLatePut(r, dst, ms(30))
		r.noLeftovers(fullChannelMeans, leftoverMeans, 5)
	})
}

// exportTrials is how many times a test repeats a stop at which a select
// finds two cases ready at once, a row and ctx.Done(). Go picks one of them
// at random, so code that is wrong only when the row is picked shows it in
// one trial of two; in 20 trials, on every run but one in a million.
const exportTrials = 20

// Task 4: the caller cancels at the instant a Put has stored its row, while
// the channel is full of rows read ahead. The consumer must not store them.
func TestExport_NoPutAfterCancel(t *testing.T) {
	errClientGone := errors.New("client closed the connection")
	katatest.Bubble(t, 5, func(t *testing.T) {
		r := &report{t: t}
		for trial := 0; trial < exportTrials && !t.Failed(); trial++ {
			begin := time.Now()
			src, dst := newExport(100)
			ctx, cancel := context.WithCancelCause(context.Background())
			// Row 2 is stored at 74ms; the client goes away at that instant,
			// before Put returns. The channel holds rows 3 to 6, and the
			// producer waits to send row 7. The consumer's next select finds
			// both a row and ctx.Done() ready.
			dst.afterStore = func(n int) {
				if n == 2 {
					cancel(errClientGone)
				}
			}
			out := start(begin, func() error { return Export(ctx, src, dst) })

			o, ok := stopsAt(r, begin, src, dst, out, ms(74), "the instant ctx is cancelled, as row 2 is stored")
			if ok && !errors.Is(o.err, errClientGone) {
				r.fail(katatest.Failure{
					Want:  fmt.Sprintf("Export returns the caller's cause, %s", errText(errClientGone)),
					Got:   errText(o.err),
					Means: "Export returned nil, ctx.Err() or Put's copy of it instead of the cause. Return context.Cause(ctx)",
					Hint:  2,
				})
			}
			noLatePut(r, dst, ms(74))
			if stored, _ := dst.state(); len(stored) != 2 && !t.Failed() {
				r.fail(katatest.Failure{
					Want:  "rows 1 and 2 stored, nothing after the cancel",
					Got:   katatest.Count(len(stored), "row") + " stored",
					Means: "Put after cancel: the consumer stored rows for a caller that had given up",
					Hint:  5,
				})
			}
			noLateNext(r, src, ms(74))
			r.noLeftovers(fullChannelMeans, leftoverMeans, 5)
			cancel(nil)
		}
	})
}

// Task 4: the caller cancels while the producer is inside Next and the
// channel has room: when that Next is over, the producer's select finds
// both the send and ctx.Done() ready. It must not go on to another Next.
func TestExport_CancelWithRoomInTheChannel(t *testing.T) {
	errClientGone := errors.New("client closed the connection")
	katatest.Bubble(t, 6, func(t *testing.T) {
		r := &report{t: t}
		for trial := 0; trial < exportTrials && !t.Failed(); trial++ {
			begin := time.Now()
			src, dst := newExport(100)
			ctx, cancel := context.WithCancelCause(context.Background())
			// At 15ms the sink is storing row 1 (10ms to 42ms), the channel is
			// empty, and the producer is reading row 2 (10ms to 20ms).
			time.AfterFunc(ms(15), func() { cancel(errClientGone) })
			out := start(begin, func() error { return Export(ctx, src, dst) })

			o, ok := stopsAt(r, begin, src, dst, out, ms(20), "when the producer's Next (10ms to 20ms) is over")
			if ok && !errors.Is(o.err, errClientGone) {
				r.fail(katatest.Failure{
					Want:  fmt.Sprintf("Export returns the caller's cause, %s", errText(errClientGone)),
					Got:   errText(o.err),
					Means: "Export returned ctx.Err() (or Put's copy of it) instead of the cause. Return context.Cause(ctx)",
					Hint:  2,
				})
			}
			noLateNext(r, src, ms(15))
			noLatePut(r, dst, ms(15))
			r.noLeftovers(fullChannelMeans, leftoverMeans, 6)
			cancel(nil)
		}
	})
}

// Task 4: a context that is already done when Export is called: nothing
// is read, nothing is stored, and Export returns the cause at once.
func TestExport_AlreadyCancelled(t *testing.T) {
	errClientGone := errors.New("client closed the connection")
	katatest.Bubble(t, 6, func(t *testing.T) {
		r := &report{t: t}
		begin := time.Now()
		src, dst := newExport(100)
		ctx, cancel := context.WithCancelCause(context.Background())
		cancel(errClientGone) // before Export is called
		out := start(begin, func() error { return Export(ctx, src, dst) })

		synctest.Wait()
		o, ok := returned(out)
		src.mu.Lock()
		nexts := len(src.starts)
		src.mu.Unlock()
		dst.mu.Lock()
		puts := len(dst.puts)
		dst.mu.Unlock()
		switch {
		case nexts > 0:
			r.fail(katatest.Failure{
				Want: "with a context already done, Export calls Next not even once",
				Got:  fmt.Sprintf("%s of Next", katatest.Count(nexts, "call")),
				Means: "Export read a row after the stop: nothing may be read once the context is done, and this " +
					"one was done before Export began. Check the context before each Next: `for ctx.Err() == nil` in " +
					"the producer's loop (a select around the send is not enough: it comes after the Next)",
				Hint: 6,
			})
		case puts > 0:
			r.fail(katatest.Failure{
				Want:  "with a context already done, Export calls Put not even once",
				Got:   fmt.Sprintf("%s of Put", katatest.Count(puts, "call")),
				Means: "Put after cancel: the consumer stored a row for a caller that had given up before the export began",
				Hint:  5,
			})
		case !ok:
			r.fail(katatest.Failure{
				Want:  "with a context already done, Export returns at once (0s of fake time)",
				Got:   "it had not returned",
				Means: "Export waits for something that never comes",
				Hint:  6,
			})
		case !errors.Is(o.err, errClientGone):
			r.fail(katatest.Failure{
				Want:  fmt.Sprintf("Export returns the caller's cause, %s", errText(errClientGone)),
				Got:   errText(o.err),
				Means: "Export returned nil or ctx.Err() instead of the cause. Return context.Cause(ctx)",
				Hint:  2,
			})
		}
		if !ok {
			await(out)
		}
		r.noLeftovers(fullChannelMeans, leftoverMeans, 6)
	})
}
