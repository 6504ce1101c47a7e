package pipesbackpressure

import (
	"bytes"
	"fmt"
	"io"
	"slices"
	"sync"
	"testing"
	"testing/synctest"
	"time"

	"github.com/gokatas/concurrency/lessons/internal/katatest"
)

// A writeResult is what a Write returned.
type writeResult struct {
	n   int
	err error
}

// writeInBackground calls w.Write(p) in a goroutine and returns a channel
// that receives what it returned.
func writeInBackground(w *Window, p []byte) <-chan writeResult {
	out := make(chan writeResult, 1)
	go func() {
		n, err := w.Write(p)
		out <- writeResult{n, err}
	}()
	return out
}

// ready reports what a background call returned, if it returned, after
// every goroutine did what it could.
func ready[T any](ch <-chan T) (T, bool) {
	synctest.Wait()
	select {
	case v := <-ch:
		return v, true
	default:
		var zero T
		return zero, false
	}
}

// mustRead reads once from w, which must not wait.
func mustRead(t *testing.T, w *Window, size int) ([]byte, error) {
	t.Helper()
	out := make(chan writeResult, 1)
	buf := make([]byte, size)
	go func() {
		n, err := w.Read(buf)
		out <- writeResult{n, err}
	}()
	r, ok := ready(out)
	if !ok {
		w.CloseWrite(errGaveUp) // let the Read end
		w.CloseRead(errGaveUp)
		select {
		case <-out:
		case <-time.After(patience):
		}
		t.Fatal(katatest.Failure{
			Want:  "Read returns at once: there are bytes in the window, or its writer is closed",
			Got:   "it waits",
			Means: "Read must return what the window holds without waiting for more, and wake up when the writer closes",
			Hint:  6,
		})
	}
	return buf[:r.n], r.err
}

// streamThrough runs p and c on two goroutines connected by w, each
// closing its side with its error, and waits for both.
func streamThrough(t *testing.T, w *Window, p *producer, c *consumer) {
	t.Helper()
	done := make(chan struct{}, 2)
	go func() {
		w.CloseWrite(p.produce(w))
		done <- struct{}{}
	}()
	go func() {
		w.CloseRead(c.consume(w))
		done <- struct{}{}
	}()
	for range 2 {
		select {
		case <-done:
			continue
		case <-time.After(patience):
		}
		means := "the producer still waits in Write: a consumer error that leaves the producer blocked forever"
		if p.state().done {
			means = "pipe never closed, as far as the reader knows: the producer returned and called CloseWrite, but Read still waits"
		}
		w.CloseRead(errGaveUp) // let them end
		w.CloseWrite(errGaveUp)
		t.Fatal(katatest.Failure{
			Want:  "the producer and the consumer both return",
			Got:   fmt.Sprintf("one still waits after %v of fake time", patience),
			Means: means,
			Hint:  7,
		})
	}
}

const windowUnbounded = "unbounded buffer: the window holds more than its size, so a producer can run as far ahead as it likes. " +
	"Write must wait while the window is full"

// Task 5: a Write returns as soon as its bytes are in, and the window never
// holds more than its size.
func TestWindow_HoldsAtMostSize(t *testing.T) {
	katatest.Bubble(t, 6, func(t *testing.T) {
		w := NewWindow(4)
		var mu sync.Mutex
		returned := 0
		done := make(chan struct{})
		go func() {
			defer close(done)
			for i := range 20 {
				if _, err := w.Write([]byte{byte('a' + i)}); err != nil {
					return
				}
				mu.Lock()
				returned++
				mu.Unlock()
			}
		}()
		defer func() { // let the writer end, whatever happened
			w.CloseRead(errGaveUp)
			w.CloseWrite(errGaveUp)
			select {
			case <-done:
			case <-time.After(patience):
			}
		}()
		read := 0
		for _, step := range []int{0, 1, 3, 2, 4} {
			if step > 0 {
				got, err := mustRead(t, w, step)
				if err != nil || len(got) != step || got[0] != byte('a'+read) {
					t.Fatalf("%v", katatest.Failure{
						Want: fmt.Sprintf("Read of %d bytes returns %q", step, string(rune('a'+read))+"..."),
						Got:  fmt.Sprintf("%q, %v", got, err), Hint: 6,
					})
				}
				read += step
			}
			synctest.Wait()
			mu.Lock()
			n := returned
			mu.Unlock()
			if n != read+4 {
				means := windowUnbounded
				if n < read+4 {
					means = "Write waits although there is room: a window of 4 takes 4 bytes before anyone reads"
				}
				t.Fatal(katatest.Failure{
					Want:  fmt.Sprintf("the reader read %d bytes of a window of 4: exactly %d Writes of 1 byte returned", read, read+4),
					Got:   fmt.Sprintf("%d returned", n),
					Means: means,
					Hint:  6,
				})
			}
		}
		w.CloseRead(nil)
		select {
		case <-done:
		case <-time.After(patience):
			w.CloseWrite(errGaveUp) // let the Write end
			t.Fatal(katatest.Failure{
				Want:  "the Write waiting for room returns when the reader calls CloseRead",
				Got:   "it still waits",
				Means: "a consumer error that leaves the producer blocked forever: CloseRead must wake a Write that waits (Broadcast)",
				Hint:  7,
			})
		}
	})
}

// Task 5: a Write bigger than the window goes in piece by piece, and
// returns when its last byte is in.
func TestWindow_BigWriteInPieces(t *testing.T) {
	katatest.Bubble(t, 6, func(t *testing.T) {
		w := NewWindow(4)
		out := writeInBackground(w, []byte("abcdefghij"))
		var got []byte
		for _, want := range []string{"abc", "def"} {
			if r, ok := ready(out); ok {
				t.Fatal(katatest.Failure{
					Want:  fmt.Sprintf("a Write of 10 bytes into a window of 4 waits while only %d bytes were read", len(got)),
					Got:   fmt.Sprintf("it returned %d, %v", r.n, r.err),
					Means: "Write must return only once the last byte of p is in the window, waiting for room (the 'drain') as often as it takes",
					Hint:  6,
				})
			}
			b, err := mustRead(t, w, 3)
			if string(b) != want || err != nil {
				t.Fatalf("%v", katatest.Failure{Want: fmt.Sprintf("Read returns %q", want), Got: fmt.Sprintf("%q, %v", b, err), Hint: 6})
			}
			got = append(got, b...)
		}
		r, ok := ready(out)
		if !ok || r.n != 10 || r.err != nil {
			t.Fatal(katatest.Failure{
				Want:  "the Write returns 10, nil once 6 bytes were read: the last 4 are in the window",
				Got:   fmt.Sprintf("returned: %v, with %d, %v", ok, r.n, r.err),
				Means: "a Write that fits must return at once: it returns once its last byte is in, before anyone reads it",
				Hint:  6,
			})
		}
		w.CloseWrite(nil)
		rest, err := io.ReadAll(w)
		if string(append(got, rest...)) != "abcdefghij" || err != nil {
			t.Error(katatest.Failure{Want: `the reader gets "abcdefghij"`, Got: fmt.Sprintf("%q, %v", append(got, rest...), err), Hint: 6})
		}
	})
}

// Task 5: Read waits for bytes, returns what there is, and never 0 bytes
// with nil.
func TestWindow_ReadWaitsForBytes(t *testing.T) {
	katatest.Bubble(t, 6, func(t *testing.T) {
		w := NewWindow(8)
		buf := make([]byte, 2)
		out := make(chan writeResult, 1)
		go func() {
			n, err := w.Read(buf)
			out <- writeResult{n, err}
		}()
		if r, ok := ready(out); ok {
			t.Fatal(katatest.Failure{
				Want:  "Read waits while the window is empty",
				Got:   fmt.Sprintf("it returned %d, %v", r.n, r.err),
				Means: "Read returned without bytes: 0, nil makes io.ReadAll spin; wait for the writer instead",
				Hint:  6,
			})
		}
		if n, err := w.Write([]byte("wxyz")); n != 4 || err != nil {
			t.Fatalf("%v", katatest.Failure{Want: "Write of 4 bytes into an empty window of 8 returns 4, nil at once", Got: fmt.Sprintf("%d, %v", n, err), Hint: 6})
		}
		r, ok := ready(out)
		if !ok || r.n != 2 || string(buf) != "wx" {
			t.Fatal(katatest.Failure{
				Want:  `the waiting Read wakes up with "wx", as many bytes as its buffer holds`,
				Got:   fmt.Sprintf("returned: %v, %d bytes %q, %v", ok, r.n, buf[:r.n], r.err),
				Means: "a Write must wake a Read that waits",
				Hint:  6,
			})
		}
		if b, err := mustRead(t, w, 8); string(b) != "yz" || err != nil {
			t.Error(katatest.Failure{Want: `the next Read returns "yz"`, Got: fmt.Sprintf("%q, %v", b, err), Hint: 6})
		}
		w.CloseRead(nil)
	})
}

// Task 6: CloseWrite lets the reader read what is left, then the end.
func TestWindow_CloseWriteEndsStream(t *testing.T) {
	katatest.Bubble(t, 7, func(t *testing.T) {
		for _, closeErr := range []error{nil, errDisk} {
			w := NewWindow(8)
			wantEnd := closeErr
			if wantEnd == nil {
				wantEnd = io.EOF
			}
			buf := make([]byte, 8)
			out := make(chan writeResult, 1)
			go func() {
				n, err := w.Read(buf)
				out <- writeResult{n, err}
			}()
			synctest.Wait()
			w.Write([]byte("abc"))
			<-out
			w.Write([]byte("def"))
			w.CloseWrite(closeErr)
			w.CloseWrite(errParse) // only the first counts
			b, err := mustRead(t, w, 8)
			if string(b) != "def" || err != nil {
				t.Fatal(katatest.Failure{
					Want:  `after CloseWrite, the reader still reads "def", the bytes left in the window`,
					Got:   fmt.Sprintf("%q, %v", b, err),
					Means: "CloseWrite must not drop the bytes in the window: the reader gets them first, then the end",
					Hint:  7,
				})
			}
			for range 2 {
				if b, err := mustRead(t, w, 8); len(b) != 0 || err != wantEnd {
					t.Fatal(katatest.Failure{
						Want:  fmt.Sprintf("CloseWrite(%v), then CloseWrite(%q): every Read returns 0, %v", closeErr, errParse, wantEnd),
						Got:   fmt.Sprintf("%d bytes, %v", len(b), err),
						Means: "the producer's error was lost: CloseWrite(err) makes Read return err (io.EOF for nil), and only the first CloseWrite counts",
						Hint:  7,
					})
				}
			}
		}
	})
}

// Task 6: CloseWrite wakes a Read that waits.
func TestWindow_CloseWriteWakesRead(t *testing.T) {
	katatest.Bubble(t, 7, func(t *testing.T) {
		w := NewWindow(4)
		out := make(chan writeResult, 1)
		go func() {
			n, err := w.Read(make([]byte, 4))
			out <- writeResult{n, err}
		}()
		synctest.Wait()
		w.CloseWrite(nil)
		r, ok := ready(out)
		if !ok {
			w.CloseRead(errGaveUp) // let it end
			w.Write([]byte("x"))
			select {
			case <-out:
			case <-time.After(patience):
			}
		}
		if !ok || r.err != io.EOF {
			t.Error(katatest.Failure{
				Want:  "a Read waiting on an empty window returns 0, io.EOF when CloseWrite(nil) is called",
				Got:   fmt.Sprintf("returned: %v, %v", ok, r.err),
				Means: "pipe never closed, as far as the reader knows: CloseWrite must wake a Read that waits (Broadcast)",
				Hint:  7,
			})
		}
	})
}

// Task 6: a Write after CloseWrite is an error, at once, even when the
// window is full.
func TestWindow_WriteAfterCloseWrite(t *testing.T) {
	katatest.Bubble(t, 7, func(t *testing.T) {
		for _, fill := range []int{0, 4} {
			w := NewWindow(4)
			w.Write(make([]byte, fill))
			w.CloseWrite(nil)
			out := writeInBackground(w, []byte("x"))
			r, ok := ready(out)
			if !ok {
				w.CloseRead(errGaveUp)
				<-out
			}
			if !ok || r.n != 0 || r.err != io.ErrClosedPipe {
				t.Fatal(katatest.Failure{
					Want:  fmt.Sprintf("with %d bytes in a window of 4, a Write after CloseWrite returns 0, io.ErrClosedPipe at once", fill),
					Got:   fmt.Sprintf("returned: %v, with %d, %v", ok, r.n, r.err),
					Means: "write after end: a Write after CloseWrite must be an error, not a hang, and not bytes silently taken",
					Hint:  7,
				})
			}
		}
	})
}

// Task 6: CloseRead fails the Write that waits for room, and every later
// one; Read after CloseRead is an error too.
func TestWindow_CloseReadFailsWrites(t *testing.T) {
	katatest.Bubble(t, 7, func(t *testing.T) {
		for _, closeErr := range []error{errParse, nil} {
			wantErr := closeErr
			if wantErr == nil {
				wantErr = io.ErrClosedPipe
			}
			w := NewWindow(4)
			out := writeInBackground(w, []byte("abcdef"))
			synctest.Wait()
			w.CloseRead(closeErr)
			w.CloseRead(errDisk) // only the first counts
			r, ok := ready(out)
			if !ok {
				w.CloseWrite(errGaveUp) // let the Write end
				t.Fatal(katatest.Failure{
					Want:  "a Write waiting for room returns when the reader calls CloseRead",
					Got:   "it still waits",
					Means: "a consumer error that leaves the producer blocked forever: CloseRead must wake a Write that waits (Broadcast)",
					Hint:  7,
				})
			}
			if r.n != 4 || r.err != wantErr {
				t.Fatal(katatest.Failure{
					Want:  fmt.Sprintf("CloseRead(%v): the waiting Write returns 4 (the bytes that went in), %v", closeErr, wantErr),
					Got:   fmt.Sprintf("%d, %v", r.n, r.err),
					Means: "the consumer's error was lost: a Write after CloseRead(err) returns err, io.ErrClosedPipe for nil, and only the first CloseRead counts",
					Hint:  7,
				})
			}
			for _, p := range []string{"", "g"} {
				if n, err := w.Write([]byte(p)); n != 0 || err != wantErr {
					t.Fatal(katatest.Failure{
						Want:  fmt.Sprintf("a Write(%q) after CloseRead returns 0, %v at once", p, wantErr),
						Got:   fmt.Sprintf("%d, %v", n, err),
						Means: "a Write after the consumer is gone must be an error, not a hang",
						Hint:  7,
					})
				}
			}
			if b, err := mustRead(t, w, 4); len(b) != 0 || err != io.ErrClosedPipe {
				t.Fatal(katatest.Failure{
					Want:  "Read after CloseRead returns 0, io.ErrClosedPipe: the bytes in the window were dropped",
					Got:   fmt.Sprintf("%q, %v", b, err),
					Means: "CloseRead closes the reader's own side too",
					Hint:  7,
				})
			}
		}
	})
}

// Task 5: Write copies p. The writer reuses its buffer the moment Write
// returned, while the reader, woken by that Write, copies out: a window
// that kept p has the two goroutines touch one buffer with nothing
// ordering them, which -race reports on every run.
func TestWindow_WriteDoesNotKeepP(t *testing.T) {
	katatest.Bubble(t, 6, func(t *testing.T) {
		w := NewWindow(8)
		buf := make([]byte, 8)
		out := make(chan writeResult, 1)
		go func() {
			n, err := w.Read(buf)
			out <- writeResult{n, err}
		}()
		synctest.Wait() // the reader waits on the empty window
		go func() {
			p := []byte("abcd")
			w.Write(p)
			copy(p, "WXYZ") // the next chunk, in the same buffer
		}()
		r, ok := ready(out)
		if !ok {
			w.CloseWrite(errGaveUp)
			w.CloseRead(errGaveUp)
			<-out
		}
		if !ok || string(buf[:r.n]) != "abcd" {
			t.Error(katatest.Failure{
				Want:  `the waiting Read returns "abcd", the bytes as they were written`,
				Got:   fmt.Sprintf("returned: %v, with %q, %v", ok, buf[:r.n], r.err),
				Means: "Write must copy p: the producer reuses its buffer once a Write returned",
				Hint:  6,
			})
		}
		w.CloseRead(nil)
	})
}

// Task 5: a producer 4 chunks ahead of a consumer that reads a chunk every
// 100ms, and the whole stream arrives.
func TestWindow_PacesProducer(t *testing.T) {
	katatest.Bubble(t, 6, func(t *testing.T) {
		w := NewWindow(4096)
		p, c := newProducer(10, 1024), newConsumer(1024)
		c.pace = 100 * time.Millisecond
		streamThrough(t, w, p, c)
		var want []time.Duration
		for i := range 10 {
			want = append(want, time.Duration(max(0, i-3))*100*time.Millisecond)
		}
		if got := p.state().stamps; !slices.Equal(got, want) {
			t.Fatal(katatest.Failure{
				Want:  "with room for 4 chunks, Writes 0-3 return at once and Write i at (i-3)*100ms: " + durations(want),
				Got:   durations(got),
				Means: windowUnbounded,
				Hint:  6,
			})
		}
		if cs := c.state(); cs.end != io.EOF || !bytes.Equal(cs.got, stream(10, 1024)) {
			t.Error(katatest.Failure{
				Want:  "the consumer reads the 10 chunks in order, then io.EOF",
				Got:   fmt.Sprintf("%s; its last Read returned %v", firstDiff(cs.got, stream(10, 1024)), cs.end),
				Means: "Write must copy p: the producer reuses its buffer once a Write returned",
				Hint:  6,
			})
		}
	})
}

// Task 5: a long stream through a small window, the two sides running
// freely in their own goroutines.
func TestWindow_LongStream(t *testing.T) {
	katatest.Bubble(t, 6, func(t *testing.T) {
		w := NewWindow(1000)
		p, c := newProducer(1000, 700), newConsumer(512)
		streamThrough(t, w, p, c)
		if cs := c.state(); cs.end != io.EOF || !bytes.Equal(cs.got, stream(1000, 700)) {
			t.Error(katatest.Failure{
				Want:  "the consumer reads the 1,000 chunks of 700 bytes in order, then io.EOF",
				Got:   fmt.Sprintf("%s; its last Read returned %v", firstDiff(cs.got, stream(1000, 700)), cs.end),
				Means: "bytes were lost, reordered or overwritten in the window",
				Hint:  6,
			})
		}
	})
}

// Task 5: a window with no room is refused.
func TestWindow_NewWindowBelowOne(t *testing.T) {
	katatest.Watchdog(t, 6)
	for _, size := range []int{0, -1} {
		panicked := func() (p bool) {
			defer func() { p = recover() != nil }()
			NewWindow(size)
			return false
		}()
		if !panicked {
			t.Error(katatest.Failure{
				Want:  fmt.Sprintf("NewWindow(%d) panics", size),
				Got:   "it returned a Window",
				Means: "a window with no room makes every Write wait forever: refuse it when it is made",
				Hint:  6,
			})
		}
	}
	var w *Window
	func() {
		defer func() {
			if r := recover(); r != nil {
				t.Fatal(katatest.Failure{
					Want:  "NewWindow(1) returns a window with room for one byte",
					Got:   fmt.Sprintf("it panicked: %v", r),
					Means: "the boundary is off by one: only a size below 1 is refused",
					Hint:  6,
				})
			}
		}()
		w = NewWindow(1)
	}()
	if n, err := w.Write([]byte("x")); n != 1 || err != nil {
		t.Errorf("%v", katatest.Failure{Want: "Write of 1 byte into an empty window of 1 returns 1, nil", Got: fmt.Sprintf("%d, %v", n, err), Hint: 6})
	}
}
