package streams

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"strings"
	"testing"
	"testing/iotest"
	"testing/synctest"

	"github.com/gokatas/concurrency/lessons/internal/katatest"
)

// A production is one run of Produce in a goroutine of its own, with a
// consumer ranging over out in another, all in the test's bubble.
type production struct {
	r    *counting
	out  chan Record
	errc chan error    // Produce's result
	done chan consumed // what the consumer took, once it stopped
}

// consumed is what the consumer took: the first records it kept, how many
// it took in all, and whether its range ended because out was closed.
type consumed struct {
	recs   []Record
	n      int
	ranged bool
}

// produce starts Produce(ctx, r, out), r counted (by r itself if it is a
// *counting already), with an unbuffered out, and a
// consumer that takes records until out is closed or take, called after
// each record with the count so far, returns false. The consumer keeps the
// first keep records and does not look into them: the test reads them only
// once Produce has returned.
func produce(ctx context.Context, r io.Reader, keep int, take func(n int) bool) *production {
	cr, ok := r.(*counting)
	if !ok {
		cr = &counting{r: r}
	}
	p := &production{
		r:    cr,
		out:  make(chan Record),
		errc: make(chan error, 1),
		done: make(chan consumed, 1),
	}
	go func() { p.errc <- Produce(ctx, p.r, p.out) }()
	go func() {
		var c consumed
		c.ranged = true
		for rec := range p.out {
			c.n++
			if len(c.recs) < keep {
				c.recs = append(c.recs, rec)
			}
			if take != nil && !take(c.n) {
				c.ranged = false
				break
			}
		}
		p.done <- c
	}()
	return p
}

// returned waits until every goroutine of the bubble is blocked or done,
// then reports whether Produce has returned, and with what.
func (p *production) returned() (error, bool) {
	synctest.Wait()
	select {
	case err := <-p.errc:
		p.errc <- err // keep it for the next look
		return err, true
	default:
		return nil, false
	}
}

// unstick takes every record Produce still sends, until it returns or is
// blocked on something else than a send, so that a test that failed ends
// without a goroutine blocked forever.
func (p *production) unstick() {
	stop := make(chan struct{})
	go func() {
		for {
			select {
			case _, ok := <-p.out:
				if !ok {
					return
				}
			case <-stop:
				return
			}
		}
	}()
	synctest.Wait()
	close(stop)
	synctest.Wait()
}

// finish is called once Produce has returned. It fails the test if out was
// not closed, and returns what the consumer took.
func (p *production) finish(t *testing.T, what string) consumed {
	t.Helper()
	synctest.Wait()
	var c consumed
	select {
	case c = <-p.done:
	default:
		// The consumer still waits in its range: out was not closed.
		t.Error(notClosed(what))
		close(p.out)
		return <-p.done
	}
	if !c.ranged {
		select {
		case _, ok := <-p.out:
			if !ok {
				return c
			}
		default:
		}
		t.Error(notClosed(what))
	}
	return c
}

func notClosed(what string) katatest.Failure {
	return katatest.Failure{
		Want: fmt.Sprintf("out is closed when Produce returns (%s)", what),
		Got:  "Produce returned and out is still open: a consumer ranging over it waits forever",
		Means: "out was not closed on every return: the sender closes the channel, and " +
			"defer close(out) does it on the error and cancel paths too",
		Hint: 5,
	}
}

// mustReturn fails the test, and frees Produce, if it has not returned.
func (p *production) mustReturn(t *testing.T, f katatest.Failure) error {
	t.Helper()
	err, ok := p.returned()
	if !ok {
		p.unstick()
		t.Fatal(f)
	}
	return err
}

// checkRecords compares the records the consumer kept with es, in order.
func checkRecords(t *testing.T, got []Record, es []entry) {
	t.Helper()
	if len(got) != len(es) {
		t.Errorf("%v", katatest.Failure{
			Want:  fmt.Sprintf("the %d records of the log, in order", len(es)),
			Got:   katatest.Count(len(got), "record"),
			Means: "records were lost or sent twice: send each line's record once, in the order of the lines",
			Hint:  5,
		})
		return
	}
	for i, e := range es {
		rec := got[i]
		if rec.Status == e.status && rec.Bytes == e.bytes && string(rec.Method) == e.method && string(rec.Path) == e.path {
			continue
		}
		f := katatest.Failure{
			Want: fmt.Sprintf("record %d is %q", i+1, e.line()),
			Got:  fmt.Sprintf("{Method: %.40q, Path: %.60q, Status: %d, Bytes: %d}", rec.Method, rec.Path, rec.Status, rec.Bytes),
			Hint: 5,
		}
		if rec.Status == e.status && rec.Bytes == e.bytes {
			f.Means = "records changed after they were sent: their Method and Path still point into the " +
				"scanner's buffer, which the next lines overwrote. A record leaves the goroutine with bytes of its own"
		} else {
			f.Means = "the records are not the log's lines, in order"
		}
		t.Error(f)
		return
	}
}

// Task 4: every record arrives, in order, owning its bytes, and out is
// closed at the end.
func TestProduce_RecordsInOrder(t *testing.T) {
	katatest.Bubble(t, 5, func(t *testing.T) {
		es := entries(1500) // 75 KB: the scanner's buffer is filled again and again
		text := logText(es, "\r\n", false)
		p := produce(context.Background(), iotest.HalfReader(strings.NewReader(text)), len(es), nil)
		err := p.mustReturn(t, katatest.Failure{
			Want:  "Produce returns once it sent the 1500 records",
			Got:   "it is still running, with a consumer ready to take every record",
			Means: "Produce does not end at the end of r",
			Hint:  5,
		})
		c := p.finish(t, "at the end of r")
		if err != nil {
			t.Errorf("%v", katatest.Failure{
				Want:  "nil: the 1500 lines are records",
				Got:   errStr(err),
				Means: "Produce must send every record of a good log and return nil",
				Hint:  5,
			})
		}
		checkRecords(t, c.recs, es)
	})
}

// Task 4: a record is still what it was after the consumer took the ones
// after it.
func TestProduce_RecordsOwnTheirBytes(t *testing.T) {
	katatest.Bubble(t, 5, func(t *testing.T) {
		es := entries(2500)
		// 125 KB: whatever the scanner's buffer, later lines are written over
		// the first ones, or (with a buffer that holds them all) next to them.
		p := produce(context.Background(), strings.NewReader(logText(es, "\n", true)), len(es), nil)
		p.mustReturn(t, katatest.Failure{
			Want:  "Produce returns once it sent the 2500 records",
			Got:   "it is still running, with a consumer ready to take every record",
			Means: "Produce does not end at the end of r",
			Hint:  5,
		})
		c := p.finish(t, "at the end of r")
		checkRecords(t, c.recs, es)
		// The first record's bytes must be its own: not shared with the next.
		if len(c.recs) > 1 {
			a, b := c.recs[0].Path, c.recs[1].Path
			if cap(a) > len(a) && bytes.Contains(a[:cap(a)], b) {
				t.Errorf("%v", katatest.Failure{
					Want:  "each record's Path in a buffer of its own",
					Got:   "record 1's Path shares its backing array with record 2's: they are slices of one buffer",
					Means: "records changed after they were sent, or will: their bytes point into the scanner's buffer",
					Hint:  5,
				})
			}
		}
	})
}

// Task 4: Produce reads as the consumer takes, no further: a slow consumer
// slows it down, and the log is never in memory.
func TestProduce_ReadsAsConsumed(t *testing.T) {
	katatest.Bubble(t, 5, func(t *testing.T) {
		ctx, cancel := context.WithCancel(context.Background())
		defer cancel()
		g, _ := newBigLog(entries(1000), 8<<20)
		g.sample = nil // no heap measured here
		gate := make(chan struct{})
		p := produce(ctx, g, 0, func(n int) bool {
			if n == 1 {
				<-gate // the consumer is busy with its first record
			}
			return true
		})
		synctest.Wait()
		read := p.r.n.Load()
		if err, ok := p.returned(); ok {
			close(gate)
			p.finish(t, "while the consumer was busy")
			t.Fatalf("%v", katatest.Failure{
				Want:  "Produce waits while the consumer is busy with the first record",
				Got:   fmt.Sprintf("it returned %s, having read %s", errStr(err), mib(uint64(read))),
				Means: "Produce did not wait for the consumer: a send that does not wait drops records",
				Hint:  5,
			})
		}
		if read > 1<<20 {
			t.Errorf("%v", katatest.Failure{
				Want: "at most 1 MiB of the 8 MiB log read while the consumer is busy with its first record",
				Got:  fmt.Sprintf("%s read", mib(uint64(read))),
				Means: "Produce read ahead of the consumer: the log piles up in memory (a slice, a big buffered channel, " +
					"a goroutine per record) instead of waiting. Send each record before reading the next line",
				Hint: 5,
			})
		}
		cancel()
		close(gate)
		p.mustReturn(t, katatest.Failure{
			Want:  "Produce returns after ctx is cancelled",
			Got:   "it is still running",
			Means: "a cancel does not stop Produce",
			Hint:  6,
		})
		p.finish(t, "after a cancel")
	})
}

// Task 4: a bad line, a long line or a failing reader end Produce as they
// end Summarize, after the records before them were sent.
func TestProduce_Errors(t *testing.T) {
	es := entries(400)
	for _, c := range []struct {
		name  string
		log   func() io.Reader
		sent  int   // records before the error
		is    error // what the error wraps
		named int   // the line it names, or 0
	}{
		{"malformed", func() io.Reader {
			return strings.NewReader(logText(es[:6], "\n", true) + "GET /api/orders/1 200\n" + logText(es[6:], "\n", true))
		}, 6, ErrMalformed, 7},
		{"MaxLine_plus_1", func() io.Reader {
			long := append(append(es[:8:8], paddedEntry(MaxLine+1)), es[8:]...)
			return strings.NewReader(logText(long, "\n", true))
		}, 8, ErrLineTooLong, 9},
		{"MaxLine_then_malformed", func() io.Reader {
			// Line 9 has exactly MaxLine bytes and is a record; line 11 is not.
			ok := append(append(es[:8:8], paddedEntry(MaxLine)), es[8])
			return strings.NewReader(logText(ok, "\r\n", true) + "GET /api/orders/1 200\n" + logText(es[9:], "\n", true))
		}, 10, ErrMalformed, 11},
		{"200KiB_line", func() io.Reader {
			long := append(append(es[:8:8], paddedEntry(200<<10)), es[8:]...)
			return strings.NewReader(logText(long, "\n", true))
		}, 8, ErrLineTooLong, 9},
		{"read_error", func() io.Reader {
			return &failAfter{data: []byte(logText(es, "\n", true)), err: errDisk, together: true}
		}, 400, errDisk, 0},
	} {
		t.Run(c.name, func(t *testing.T) {
			katatest.Bubble(t, 5, func(t *testing.T) {
				p := produce(context.Background(), c.log(), len(es), nil)
				err := p.mustReturn(t, katatest.Failure{
					Want:  fmt.Sprintf("Produce returns an error wrapping %q", c.is),
					Got:   "it is still running, with a consumer ready to take every record",
					Means: "Produce does not end at an error",
					Hint:  5,
				})
				got := p.finish(t, "at an error")
				want := fmt.Sprintf("%d records, then an error wrapping %q", c.sent, c.is)
				if c.named > 0 {
					want += fmt.Sprintf(" that says \"line %d\"", c.named)
				}
				if !errors.Is(err, c.is) || c.named > 0 && !namesLine(err, c.named) || got.n != c.sent {
					f := katatest.Failure{
						Want: want,
						Got:  fmt.Sprintf("%s, then %s", katatest.Count(got.n, "record"), errStr(err)),
						Hint: 3,
					}
					switch {
					case err == nil:
						f.Means = "the error was lost: the scanner's Err() was not checked, or a bad line was skipped; " +
							"the consumer takes a partial log for a whole one"
					case !errors.Is(err, c.is):
						f.Means = "the error does not wrap " + fmt.Sprintf("%q", c.is) + ": Produce ends as Summarize does"
					case errors.Is(err, ErrLineTooLong) && c.is != ErrLineTooLong:
						f.Means = "off by one: a line of MaxLine bytes is allowed, and its line ending does not count"
					case got.n != c.sent:
						f.Means = "the records before the error must all be sent, and none after it"
					default:
						f.Means = "the error must name the line, as Summarize's does"
					}
					t.Error(f)
				}
				wantRecs := es[:c.sent]
				if c.name == "MaxLine_then_malformed" {
					wantRecs = append(append(es[:8:8], paddedEntry(MaxLine)), es[8])
				}
				checkRecords(t, got.recs, wantRecs)
			})
		})
	}
}

// checkCancelled checks what a test expects Produce to return after a cancel.
func checkCancelled(t *testing.T, err error, what string) {
	t.Helper()
	if !errors.Is(err, context.Canceled) {
		t.Errorf("%v", katatest.Failure{
			Want:  fmt.Sprintf("an error for which errors.Is(err, context.Canceled) holds (%s)", what),
			Got:   errStr(err),
			Means: "after a cancel Produce returns ctx.Err(): the consumer must learn that the log was not read to its end",
			Hint:  6,
		})
	}
}

// Task 5: a cancel frees a Produce that waits for a consumer that is gone.
func TestProduce_CancelWhileWaiting(t *testing.T) {
	katatest.Bubble(t, 6, func(t *testing.T) {
		ctx, cancel := context.WithCancel(context.Background())
		defer cancel()
		es := entries(100)
		p := produce(ctx, strings.NewReader(logText(es, "\n", true)), 3, func(n int) bool { return n < 3 })
		if err, ok := p.returned(); ok {
			c := p.finish(t, "early")
			t.Fatalf("%v", katatest.Failure{
				Want:  "Produce waits for the consumer to take record 4 (ctx is not done yet)",
				Got:   fmt.Sprintf("it returned %s after the consumer took %d records", errStr(err), c.n),
				Means: "Produce did not wait for the consumer: records the consumer did not take were dropped",
				Hint:  5,
			})
		}
		cancel()
		err := p.mustReturn(t, katatest.Failure{
			Want: "Produce returns once ctx is cancelled, although nobody takes record 4",
			Got:  "it is still blocked, sending a record nobody will take",
			Means: "blocked on a send after cancel: a send without a select on ctx.Done() waits forever, and " +
				"the goroutine leaks with the file it reads",
			Hint: 6,
		})
		checkCancelled(t, err, "cancelled while waiting for the consumer")
		c := p.finish(t, "after a cancel")
		checkRecords(t, c.recs, es[:3])
	})
}

// Task 5: after a cancel Produce reads no more of the log, even when the
// consumer would take every record.
func TestProduce_CancelStopsReading(t *testing.T) {
	katatest.Bubble(t, 6, func(t *testing.T) {
		ctx, cancel := context.WithCancel(context.Background())
		defer cancel()
		g, _ := newBigLog(entries(1000), 8<<20)
		g.sample = nil // no heap measured here
		var atCancel int64
		cr := &counting{r: g}
		p := produce(ctx, cr, 0, func(n int) bool {
			if n == 10 {
				atCancel = cr.n.Load()
				cancel() // the consumer has seen enough, and keeps taking what comes
			}
			return true
		})
		err := p.mustReturn(t, katatest.Failure{
			Want:  "Produce returns after the consumer cancelled ctx",
			Got:   "it is still running",
			Means: "a cancel does not stop Produce",
			Hint:  6,
		})
		c := p.finish(t, "after a cancel")
		after := p.r.n.Load() - atCancel
		if after > 1<<20 {
			t.Errorf("%v", katatest.Failure{
				Want: "at most 1 MiB of the 8 MiB log read after the cancel",
				Got:  fmt.Sprintf("%s read after the cancel, %d records taken, then %s", mib(uint64(after)), c.n, errStr(err)),
				Means: "kept reading after cancel: ctx is checked only where Produce waits, or not at all. " +
					"Check ctx.Err() before reading each line",
				Hint: 6,
			})
		}
		checkCancelled(t, err, "cancelled by the consumer after 10 records")
	})
}

// Task 5: a context cancelled before the start reads nothing, sends nothing.
func TestProduce_AlreadyCancelled(t *testing.T) {
	katatest.Bubble(t, 6, func(t *testing.T) {
		ctx, cancel := context.WithCancel(context.Background())
		cancel()
		p := produce(ctx, strings.NewReader(logText(entries(100), "\n", true)), 100, nil)
		err := p.mustReturn(t, katatest.Failure{
			Want:  "Produce returns at once: ctx is already cancelled",
			Got:   "it is still running",
			Means: "a cancelled context does not stop Produce",
			Hint:  6,
		})
		c := p.finish(t, "with a cancelled context")
		if read := p.r.n.Load(); read > 0 || c.n > 0 {
			t.Errorf("%v", katatest.Failure{
				Want:  "nothing read, nothing sent: ctx was cancelled before Produce started",
				Got:   fmt.Sprintf("%d bytes read, %s sent", read, katatest.Count(c.n, "record")),
				Means: "read although ctx was already done: check ctx.Err() before the first read",
				Hint:  6,
			})
		}
		checkCancelled(t, err, "cancelled before the start")
	})
}
