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

const slowOneBuffered = "unbounded buffer for the slow consumer: the producer ran ahead of the slower consumer, " +
	"so the bytes it has not read wait in memory. The slower consumer sets the pace: a Write returns once both read it"

// checkEnd asserts that a consumer got the whole stream, then io.EOF.
func checkEnd(t *testing.T, who string, c *consumer, want []byte, hint int) {
	t.Helper()
	if cs := c.state(); cs.end != io.EOF || !bytes.Equal(cs.got, want) {
		t.Error(katatest.Failure{
			Want:  fmt.Sprintf("consumer %s reads the whole stream (%d bytes), then io.EOF", who, len(want)),
			Got:   fmt.Sprintf("%s; its last Read returned %v", firstDiff(cs.got, want), cs.end),
			Means: "each consumer gets every byte, in order: the producer reuses its buffer once a Write returned, so a tee must not keep it",
			Hint:  hint,
		})
	}
}

// Task 3: both consumers get the whole stream, whatever sizes they read.
func TestTee_BothGetEverything(t *testing.T) {
	katatest.Bubble(t, 4, func(t *testing.T) {
		p, a, b := newProducer(200, 1024), newConsumer(700), newConsumer(4096)
		o := startTee(p, a, b).wait(t, 4)
		checkEnd(t, "a", a, stream(200, 1024), 4)
		checkEnd(t, "b", b, stream(200, 1024), 4)
		if o.err != nil {
			t.Error(katatest.Failure{Want: "Tee returns nil", Got: fmt.Sprint(o.err), Hint: 4})
		}
	})
}

// Task 3: with one consumer held back, the producer and the other consumer
// wait for it, whichever of a and b it is.
func TestTee_SlowerSetsPace(t *testing.T) {
	katatest.Bubble(t, 4, func(t *testing.T) {
		for _, slowIsA := range []bool{true, false} {
			p, slow, fast := newProducer(6, 1024), gatedConsumer(), newConsumer(1024)
			a, b, slowName, fastName := slow, fast, "a", "b"
			if !slowIsA {
				a, b, slowName, fastName = fast, slow, "b", "a"
			}
			r := startTee(p, a, b)
			defer r.drain()
			synctest.Wait()
			for _, step := range []int{0, 1024, 512, 512, 2048} {
				if step > 0 {
					slow.read(step)
				}
				s, f := slow.read0(), fast.read0()
				if p.written() != s/1024*1024 || f < s/1024*1024 || f > s/1024*1024+1024 {
					t.Fatal(katatest.Failure{
						Want: fmt.Sprintf("slow consumer %s read %d bytes: %d Writes returned, and fast consumer %s read %d or %d bytes",
							slowName, s, s/1024, fastName, s/1024*1024, s/1024*1024+1024),
						Got:   fmt.Sprintf("%d Writes returned, and %s read %d bytes", p.state().returned, fastName, f),
						Means: slowOneBuffered,
						Hint:  4,
					})
				}
			}
			o := r.wait(t, 4)
			checkEnd(t, slowName, slow, stream(6, 1024), 4)
			checkEnd(t, fastName, fast, stream(6, 1024), 4)
			if o.err != nil {
				t.Error(katatest.Failure{Want: "Tee returns nil", Got: fmt.Sprint(o.err), Hint: 4})
			}
		}
	})
}

// Task 3: a consumer reading a chunk every 100ms paces the producer, and
// the fast consumer with it.
func TestTee_PaceOfTheSlower(t *testing.T) {
	katatest.Bubble(t, 4, func(t *testing.T) {
		for _, slowIsA := range []bool{true, false} {
			p, slow, fast := newProducer(5, 1024), newConsumer(1024), newConsumer(1024)
			slow.pace = 100 * time.Millisecond
			a, b := slow, fast
			if !slowIsA {
				a, b = fast, slow
			}
			o := startTee(p, a, b).wait(t, 4)
			want := []time.Duration{100 * time.Millisecond, 200 * time.Millisecond, 300 * time.Millisecond, 400 * time.Millisecond, 500 * time.Millisecond}
			if got := p.state().stamps; !slices.Equal(got, want) || o.took != 600*time.Millisecond {
				t.Fatal(katatest.Failure{
					Want:  "Write i returns at (i+1)*100ms, when the slow consumer read it, and Tee returns at 600ms: " + durations(want),
					Got:   fmt.Sprintf("%s, Tee returned at %v", durations(got), o.took),
					Means: slowOneBuffered,
					Hint:  4,
				})
			}
		}
	})
}

// Task 3: no bytes at all reach both consumers as io.EOF.
func TestTee_EmptyStream(t *testing.T) {
	katatest.Bubble(t, 4, func(t *testing.T) {
		p, a, b := newProducer(0, 1024), newConsumer(1024), newConsumer(1024)
		o := startTee(p, a, b).wait(t, 4)
		checkEnd(t, "a", a, nil, 4)
		checkEnd(t, "b", b, nil, 4)
		if o.err != nil || o.took != 0 {
			t.Error(katatest.Failure{Want: "Tee returns nil at once", Got: fmt.Sprintf("%v after %v", o.err, o.took), Hint: 4})
		}
	})
}

// Task 4: a consumer that fails stops the producer, and the other consumer
// sees the failure instead of io.EOF.
func TestTee_ConsumerErrorStopsAll(t *testing.T) {
	katatest.Bubble(t, 5, func(t *testing.T) {
		for _, failing := range []string{"a", "b"} {
			p, a, b := newProducer(100, 1024), newConsumer(1024), newConsumer(1024)
			bad, other, otherName := a, b, "b"
			if failing == "b" {
				bad, other, otherName = b, a, "a"
			}
			bad.stopAt, bad.stopErr = 1500, errParse
			o := startTee(p, a, b).wait(t, 5)
			ps := p.state()
			if len(ps.errs) == 0 || !errors.Is(ps.errs[0], errParse) || ps.doneAt != 0 {
				t.Fatal(katatest.Failure{
					Want: fmt.Sprintf("consumer %s fails with %q: the producer's next Write fails with that error, at once", failing, errParse),
					Got:  fmt.Sprintf("its Writes returned %v, it returned at %v", ps.errs, ps.doneAt),
					Means: "the consumer's error was lost: close each consumer's reader with pr.CloseWithError(err) when it returns, " +
						"and let the producer's Write fail with it",
					Hint: 5,
				})
			}
			if os := other.state(); os.end == io.EOF || !errors.Is(os.end, errParse) {
				t.Fatal(katatest.Failure{
					Want: fmt.Sprintf("consumer %s's Read fails with the producer's error, which wraps %q", otherName, errParse),
					Got:  fmt.Sprintf("its last Read returned %v", os.end),
					Means: "the other consumer saw io.EOF, or nothing: it takes a stream that broke off for a whole one. " +
						"Close both writers with the producer's error",
					Hint: 5,
				})
			}
			if !errors.Is(o.err, errParse) || o.took != 0 {
				t.Error(katatest.Failure{
					Want:  fmt.Sprintf("Tee returns an error wrapping %q, at once", errParse),
					Got:   fmt.Sprintf("%v at %v", o.err, o.took),
					Means: "the first consumer's failure must come back from Tee",
					Hint:  5,
				})
			}
		}
	})
}

// Task 4: a consumer that returns nil early stops the stream for the other
// one too: all or nothing.
func TestTee_ConsumerStopsEarly(t *testing.T) {
	katatest.Bubble(t, 5, func(t *testing.T) {
		p, a, b := newProducer(10, 1024), newConsumer(1024), newConsumer(1024)
		a.stopAt = 10
		o := startTee(p, a, b).wait(t, 5)
		ps, bs := p.state(), b.state()
		if len(ps.errs) == 0 || !errors.Is(ps.errs[0], io.ErrClosedPipe) || bs.end == io.EOF || !errors.Is(bs.end, io.ErrClosedPipe) {
			t.Fatal(katatest.Failure{
				Want: "consumer a returned nil after 10 bytes: the producer's next Write fails with io.ErrClosedPipe, and so does b's Read",
				Got:  fmt.Sprintf("the producer's Writes returned %v; b's last Read returned %v", ps.errs, bs.end),
				Means: "the other consumer saw io.EOF, or the producer wrote on: a consumer that stops, even with nil, stops the stream. " +
					"Close its reader when it returns, and both writers with the producer's error",
				Hint: 5,
			})
		}
		if !errors.Is(o.err, io.ErrClosedPipe) {
			t.Error(katatest.Failure{
				Want:  "Tee returns b's error, which wraps io.ErrClosedPipe",
				Got:   fmt.Sprint(o.err),
				Means: "an error was lost: Tee returns a's error if a failed, else b's, else the producer's",
				Hint:  5,
			})
		}
	})
}

// Task 4: a producer that fails ends both streams with its error.
func TestTee_ProducerErrorReachesBoth(t *testing.T) {
	katatest.Bubble(t, 5, func(t *testing.T) {
		p, a, b := newProducer(5, 1024), newConsumer(1024), newConsumer(300)
		p.failAt, p.fail = 3, errDisk
		o := startTee(p, a, b).wait(t, 5)
		for name, c := range map[string]*consumer{"a": a, "b": b} {
			if cs := c.state(); !errors.Is(cs.end, errDisk) || !bytes.Equal(cs.got, stream(3, 1024)) {
				t.Error(katatest.Failure{
					Want: fmt.Sprintf("consumer %s reads the 3 chunks written, then %q", name, errDisk),
					Got:  fmt.Sprintf("%s; its last Read returned %v", firstDiff(cs.got, stream(3, 1024)), cs.end),
					Means: "the producer's error was lost: a consumer saw io.EOF, so a stream that broke off looks complete. " +
						"Close both writers with pw.CloseWithError(err)",
					Hint: 5,
				})
			}
		}
		if !errors.Is(o.err, errDisk) {
			t.Error(katatest.Failure{Want: fmt.Sprintf("Tee returns an error wrapping %q", errDisk), Got: fmt.Sprint(o.err), Hint: 5})
		}
	})
}

// Task 4: which error Tee returns: a's, else b's, else the producer's.
func TestTee_WhichError(t *testing.T) {
	katatest.Bubble(t, 5, func(t *testing.T) {
		errA := errors.New("upload a: quota exceeded")
		for _, tc := range []struct {
			name       string
			aErr, bErr error // consumers stopping after 1500 bytes with this error; nil: reading to the end
			lenientA   bool
			want, not  error
		}{
			{"a fails, b fails", errA, errParse, false, errA, errParse},
			{"b fails, a ignores its Read error", nil, errParse, true, errParse, errClose},
			{"a ignores its Read error, b fails later", nil, nil, true, errClose, nil},
		} {
			p, a, b := newProducer(100, 1024), newConsumer(1024), newConsumer(1024)
			p.stubborn, p.final = true, errClose
			if tc.aErr != nil {
				a.stopAt, a.stopErr = 1500, tc.aErr
			}
			if tc.bErr != nil {
				b.stopAt, b.stopErr = 1600, tc.bErr
			}
			if tc.aErr == nil && tc.bErr == nil {
				a.stopAt = 1500 // a returns nil early: the producer's Writes fail, and it returns errClose
				b.lenient = true
			}
			a.lenient = tc.lenientA
			o := startTee(p, a, b).wait(t, 5)
			if !errors.Is(o.err, tc.want) || (tc.not != nil && errors.Is(o.err, tc.not)) {
				t.Error(katatest.Failure{
					Want:  fmt.Sprintf("%s: Tee returns %q", tc.name, tc.want),
					Got:   fmt.Sprint(o.err),
					Means: "an error was lost: Tee returns a's error if a failed, else b's, else the producer's",
					Hint:  5,
				})
			}
		}
	})
}
