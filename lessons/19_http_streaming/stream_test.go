package httpstreaming

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"github.com/gokatas/concurrency/lessons/internal/katatest"
)

// jsonLine returns the line Stream must write for ev.
func jsonLine(ev Event) string {
	b, err := json.Marshal(ev)
	if err != nil {
		panic(err)
	}
	return string(b) + "\n"
}

// checkHeaders fails the test unless the stream's response is a 200 of
// NDJSON whose headers arrived at want.
func checkHeaders(t *testing.T, s *stream, want time.Duration) bool {
	t.Helper()
	if s.resp.StatusCode != http.StatusOK {
		t.Errorf("the stream's status is %d, want 200", s.resp.StatusCode)
		return false
	}
	if ct := s.resp.Header.Get("Content-Type"); ct != "application/x-ndjson" {
		t.Error(katatest.Failure{
			Want:  "Content-Type: application/x-ndjson",
			Got:   fmt.Sprintf("%q", ct),
			Means: "a client cannot tell the stream is NDJSON: set the header before anything is written",
			Hint:  4,
		})
		return false
	}
	if s.header != want {
		t.Error(katatest.Failure{
			Want:  fmt.Sprintf("the status and headers arrive at %v, before the first event", want),
			Got:   fmt.Sprintf("they arrived at %v", s.header),
			Means: "the headers waited for the first line (or for the end): flush once before the first event, so the client knows the stream has started",
			Hint:  4,
		})
		return false
	}
	return true
}

// checkLines fails the test unless got is events, event i arriving at
// at(i), and the stream ended with end (io.EOF for a clean end).
func checkLines(t *testing.T, got []line, end error, b *build, at func(i int) time.Duration, hint int) bool {
	t.Helper()
	for i, ev := range b.events {
		if i >= len(got) {
			means := "the stream ended before the build did"
			if end != io.EOF {
				means = fmt.Sprintf("the stream was cut (%v) before the build ended", end)
			}
			t.Error(katatest.Failure{
				Want:  fmt.Sprintf("%s, line %d at %v", katatest.Count(len(b.events), "line"), i+1, at(i)),
				Got:   fmt.Sprintf("the stream ended after %s", katatest.Count(len(got), "line")),
				Means: means,
				Hint:  hint,
			})
			return false
		}
		if got[i].text != jsonLine(ev) {
			t.Error(katatest.Failure{
				Want:  fmt.Sprintf("line %d is %q", i+1, jsonLine(ev)),
				Got:   fmt.Sprintf("%q", got[i].text),
				Means: "every event is one line of JSON, as json.NewEncoder(w).Encode(ev) writes it",
				Hint:  4,
			})
			return false
		}
		if got[i].at != at(i) {
			last := got[len(got)-1].at
			means := "a line reached the client late: flush after every line"
			if got[i].at == last && len(got) > 1 && got[0].at == last {
				means = "a response buffered until the end: the lines waited in the server's buffer and reached the client together. " +
					"Flush after every line with http.NewResponseController(w).Flush()"
			}
			t.Error(katatest.Failure{
				Want:  fmt.Sprintf("line %d reaches the client at %v, when its event is ready", i+1, at(i)),
				Got:   fmt.Sprintf("it arrived at %v", got[i].at),
				Means: means,
				Hint:  4,
			})
			return false
		}
	}
	if len(got) > len(b.events) {
		t.Errorf("%s after the last event; the first is %q", katatest.Count(len(got)-len(b.events), "more line"), got[len(b.events)].text)
		return false
	}
	if end != io.EOF {
		t.Error(katatest.Failure{
			Want:  "the stream ends cleanly once the build has ended",
			Got:   fmt.Sprintf("every line came, then the stream broke off: %v", end),
			Means: "the end of the stream did not reach the client: a write deadline that had passed when the build ended cut it. Move the deadline each time Next returns, false included",
			Hint:  5,
		})
		return false
	}
	return true
}

func every(d time.Duration) func(i int) time.Duration {
	return func(i int) time.Duration { return time.Duration(i+1) * d }
}

// Task 4: five events, one a second: each line reaches the client the
// moment its event is ready, over a real http.Server (on net.Pipe), whose
// buffers would hold small lines until the end.
func TestStream_LinesArriveAsTheyAreReady(t *testing.T) {
	katatest.Bubble(t, 4, func(t *testing.T) {
		b := newBuild(5, time.Second, 0)
		ts := serve(t, Stream(b), 0)
		s := ts.get("/builds/7/log")
		defer s.close()
		if !checkHeaders(t, s, 0) {
			return
		}
		lines, end := s.all()
		if !checkLines(t, lines, end, b, every(time.Second), 4) {
			return
		}
		if ended := ts.handlerEnded("Stream returns when the build ends", 4); ended != 5*time.Second {
			t.Errorf("Stream returned at %v; the build ended at 5s", ended)
		}
		if calls, _, afterEnd := b.state(); calls != 6 || afterEnd != 0 {
			t.Errorf("Next was called %s for 5 events (and once more for the end); want 6", katatest.Times(calls))
		}
	})
}

// Task 4: a build with no events still streams: the headers come at once,
// the end when the build ends.
func TestStream_NoEvents(t *testing.T) {
	katatest.Bubble(t, 4, func(t *testing.T) {
		b := newBuild(0, time.Second, 2*time.Second)
		ts := serve(t, Stream(b), 0)
		s := ts.get("/builds/7/log")
		defer s.close()
		if !checkHeaders(t, s, 0) {
			return
		}
		lines, end := s.all()
		checkLines(t, lines, end, b, every(time.Second), 4)
		if l, _ := s.next(); l.at != 2*time.Second {
			t.Errorf("the stream ended at %v; the build ended at 2s", l.at)
		}
	})
}

// unwrapOnly is a middleware's ResponseWriter as the standard library
// wants one: it has no Flush of its own, only an Unwrap.
type unwrapOnly struct{ http.ResponseWriter }

func (u unwrapOnly) Unwrap() http.ResponseWriter { return u.ResponseWriter }

// Task 4: behind a middleware whose wrapper has Unwrap but no Flush
// method, the lines still arrive one by one: Stream flushes through
// http.NewResponseController, not a type assertion.
func TestStream_FlushesThroughAWrapper(t *testing.T) {
	katatest.Bubble(t, 4, func(t *testing.T) {
		b := newBuild(3, time.Second, 0)
		inner := Stream(b)
		ts := serve(t, http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			inner.ServeHTTP(unwrapOnly{w}, r)
		}), 0)
		s := ts.get("/builds/7/log")
		defer s.close()
		lines, end := s.all()
		if len(lines) == len(b.events) && lines[0].at == 3*time.Second {
			t.Error(katatest.Failure{
				Want: "behind a wrapper with Unwrap, line 1 at 1s, line 2 at 2s, line 3 at 3s",
				Got:  "all three lines at 3s, when the stream ended",
				Means: "Stream flushes with a type assertion to http.Flusher, which a middleware's wrapper does not pass: " +
					"flush with http.NewResponseController(w).Flush(), which follows Unwrap",
				Hint: 4,
			})
			return
		}
		checkLines(t, lines, end, b, every(time.Second), 4)
	})
}

// Task 4: the client reads two lines and goes away at 2.5s. The server
// cancels r.Context() when the connection closes; the build must see it at
// that instant, and Stream must ask for nothing more.
func TestStream_ClientGoesAway(t *testing.T) {
	katatest.Bubble(t, 4, func(t *testing.T) {
		b := newBuild(10, time.Second, 0)
		ts := serve(t, Stream(b), 0)
		s := ts.get("/builds/7/log")
		for range 2 {
			if _, err := s.next(); err != nil {
				t.Fatalf("the stream broke off before its second line: %v", err)
			}
		}
		time.Sleep(2500*time.Millisecond - time.Since(ts.start))
		s.close()
		ended := ts.handlerEnded("Stream returns once the client has gone", 4)
		calls, cancelledAt, afterEnd := b.state()
		if cancelledAt != 2500*time.Millisecond {
			got := "the build never saw its context done"
			if cancelledAt >= 0 {
				got = fmt.Sprintf("the build saw its context done at %v", cancelledAt)
			}
			t.Error(katatest.Failure{
				Want: "the build sees its context done at 2.5s, when the client went away",
				Got:  fmt.Sprintf("%s; Stream returned at %v after %s of Next", got, ended, katatest.Count(calls, "call")),
				Means: "work went on after the client went away: the build was asked with a context that the client's leaving does not cancel. " +
					"Pass r.Context() to Next",
				Hint: 4,
			})
			return
		}
		if ended != 2500*time.Millisecond || calls != 3 || afterEnd != 0 {
			t.Error(katatest.Failure{
				Want:  "Stream returns at 2.5s, with Next called 3 times (2 events, then the call the client's leaving ended)",
				Got:   fmt.Sprintf("it returned at %v, with Next called %s", ended, katatest.Times(calls)),
				Means: "Stream went on asking for events after Next returned false: return when it does",
				Hint:  4,
			})
		}
	})
}

// Task 5: the server has a WriteTimeout of 2.5s, and the build streams 20
// lines over 20s, twice LineTimeout. Every line must arrive: each time
// Next returns, the deadline moves to LineTimeout from then.
func TestStream_OutlivesWriteTimeout(t *testing.T) {
	katatest.Bubble(t, 5, func(t *testing.T) {
		b := newBuild(20, time.Second, 0)
		ts := serve(t, Stream(b), 2500*time.Millisecond)
		s := ts.get("/builds/7/log")
		defer s.close()
		lines, end := s.all()
		if end != io.EOF && len(lines) < len(b.events) {
			last := time.Duration(0)
			if len(lines) > 0 {
				last = lines[len(lines)-1].at
			}
			means := "the server's WriteTimeout cut the stream: it counts from the start of the request, and a stream lasts longer. " +
				"Move the write deadline with http.NewResponseController(w).SetWriteDeadline each time Next returns"
			if last > 2500*time.Millisecond {
				// The WriteTimeout was lifted, but the one deadline that
				// replaced it did not move.
				means = "the stream was cut after LineTimeout: the write deadline was set once, not each time Next returns"
			}
			t.Error(katatest.Failure{
				Want:  "20 lines over 20s, through a server whose WriteTimeout is 2.5s",
				Got:   fmt.Sprintf("the stream broke off (%v) after %s, the last at %v", end, katatest.Count(len(lines), "line"), last),
				Means: means,
				Hint:  5,
			})
			return
		}
		checkLines(t, lines, end, b, every(time.Second), 5)
	})
}

// Task 5: events 15s apart, longer than LineTimeout, and the build ends
// 30s after its last event. Each line and the end of the stream must still
// get through: the deadline moves when Next returns, not after a line is
// written.
func TestStream_LongPauses(t *testing.T) {
	katatest.Bubble(t, 5, func(t *testing.T) {
		b := newBuild(3, 15*time.Second, 30*time.Second)
		ts := serve(t, Stream(b), 2500*time.Millisecond)
		s := ts.get("/builds/7/log")
		defer s.close()
		lines, end := s.all()
		if !checkLines(t, lines, end, b, every(15*time.Second), 5) {
			return
		}
		if ended := ts.handlerEnded("Stream returns when the build ends", 5); ended != 75*time.Second {
			t.Errorf("Stream returned at %v; the build ended at 75s", ended)
		}
	})
}

// Task 5: the client reads two lines and then stops reading, without
// closing the connection. Event 3 is ready at 3s; its write cannot finish,
// and at 3s + LineTimeout it fails: Stream must return then, not wait for
// the client for ever (the client closes at 1 minute).
func TestStream_DropsAStalledClient(t *testing.T) {
	katatest.Bubble(t, 5, func(t *testing.T) {
		b := newBuild(10, time.Second, 0)
		ts := serve(t, Stream(b), 2500*time.Millisecond)
		s := ts.get("/builds/7/log")
		for range 2 {
			if _, err := s.next(); err != nil {
				t.Fatalf("the stream broke off before its second line: %v", err)
			}
		}
		closed := make(chan struct{})
		go func() {
			time.Sleep(time.Minute - time.Since(ts.start))
			s.close()
			close(closed)
		}()
		ended := ts.handlerEnded("Stream returns once a stalled client's write fails", 5)
		<-closed
		want := 3*time.Second + LineTimeout
		if ended != want {
			means := "Stream did not return when the write failed: return at the first error of Encode, Flush or SetWriteDeadline"
			switch {
			case ended == time.Minute:
				means = "a client that stops reading held the handler until it closed: with no write deadline (or a zero one), a write waits for ever. " +
					"Set the deadline to LineTimeout from now each time Next returns"
			case ended < want:
				means = "the stream ended before the write deadline passed"
			}
			t.Error(katatest.Failure{
				Want:  fmt.Sprintf("Stream returns at %v, LineTimeout after event 3 was ready, when its write fails", want),
				Got:   fmt.Sprintf("it returned at %v", ended),
				Means: means,
				Hint:  5,
			})
			return
		}
		if calls, _, _ := b.state(); calls != 3 {
			t.Error(katatest.Failure{
				Want:  "Stream stops at the failed write of event 3: Next called 3 times",
				Got:   fmt.Sprintf("Next was called %s", katatest.Times(calls)),
				Means: "Stream went on after a write failed: it pulled the rest of the build through a dead connection. Return at the first error of Encode, Flush or SetWriteDeadline",
				Hint:  5,
			})
		}
	})
}

// A deadlineWriter is a recorder that can also take a write deadline, as
// a server's ResponseWriter can; if broken, every Write fails, as on a
// connection that has gone.
type deadlineWriter struct {
	*recorder
	broken bool
}

func (d deadlineWriter) SetWriteDeadline(time.Time) error { return nil }

func (d deadlineWriter) Write(p []byte) (int, error) {
	if d.broken {
		return 0, io.ErrClosedPipe
	}
	return d.recorder.Write(p)
}

// bare hides everything but the three methods of http.ResponseWriter.
type bare struct{ http.ResponseWriter }

// Task 5: Stream gives up at the first error: on a ResponseWriter that
// cannot flush, one that cannot move its deadline, and one whose writes
// fail. Each time it must stop asking the feed at once.
func TestStream_GivesUpOnErrors(t *testing.T) {
	katatest.Bubble(t, 5, func(t *testing.T) {
		cases := []struct {
			what      string
			w         func() (http.ResponseWriter, *recorder)
			wantCalls int
		}{
			{"a ResponseWriter that cannot flush (http.ErrNotSupported from Flush)",
				func() (http.ResponseWriter, *recorder) { r := newRecorder(); return bare{r}, r }, 0},
			{"a ResponseWriter that cannot set a write deadline (http.ErrNotSupported from SetWriteDeadline)",
				func() (http.ResponseWriter, *recorder) { r := newRecorder(); return r, r }, 1},
			{"a ResponseWriter whose writes fail, as on a closed connection",
				func() (http.ResponseWriter, *recorder) { r := newRecorder(); return deadlineWriter{r, true}, r }, 1},
		}
		for _, c := range cases {
			b := newBuild(5, time.Second, 0)
			w, rec := c.w()
			Stream(b).ServeHTTP(w, httptest.NewRequest(http.MethodGet, "/builds/7/log", nil))
			calls, _, _ := b.state()
			_, body := rec.result()
			if calls != c.wantCalls || body != "" {
				t.Error(katatest.Failure{
					Want:  fmt.Sprintf("on %s, Stream returns at the first error, with Next called %s and no line sent", c.what, katatest.Times(c.wantCalls)),
					Got:   fmt.Sprintf("Next was called %s, and %q was sent", katatest.Times(calls), body),
					Means: "Stream went on after an error: return at the first error of Flush, SetWriteDeadline or Encode",
					Hint:  5,
				})
			}
		}
	})
}
