package httpstreaming

import (
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"sync"
	"testing"
	"testing/synctest"
	"time"

	"github.com/gokatas/concurrency/lessons/internal/katatest"
)

// An accessLog collects the entries Logged writes. Its log may be called
// from several goroutines at once.
type accessLog struct {
	mu      sync.Mutex
	entries []Entry
}

func (l *accessLog) log(e Entry) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.entries = append(l.entries, e)
}

func (l *accessLog) all() []Entry {
	l.mu.Lock()
	defer l.mu.Unlock()
	return append([]Entry(nil), l.entries...)
}

// get serves GET path with h directly and returns what reached the client.
func getDirect(h http.Handler, path string) *recorder {
	rec := newRecorder()
	h.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, path, nil))
	return rec
}

// checkEntry fails the test unless the log holds exactly want.
func checkEntry(t *testing.T, l *accessLog, want Entry, what string) bool {
	t.Helper()
	got := l.all()
	if len(got) != 1 {
		t.Error(katatest.Failure{
			Want:  "one log entry for one request, written once the handler has returned",
			Got:   katatest.Count(len(got), "entry/entries"),
			Means: "Logged must call log exactly once per request, after next.ServeHTTP returns",
			Hint:  6,
		})
		return false
	}
	if got[0] == want {
		return true
	}
	f := katatest.Failure{
		Want:  fmt.Sprintf("%+v for %s", want, what),
		Got:   fmt.Sprintf("%+v", got[0]),
		Means: "the entry does not say what happened to the request",
		Hint:  6,
	}
	switch {
	case got[0].Status == 0:
		f.Means = "no default status: a handler that never calls WriteHeader has sent 200, and the log must say so"
	case got[0].Status != want.Status:
		f.Means = "the wrong status was logged: the client got the first status set with WriteHeader (a later one is ignored), or 200 if none was set"
	case got[0].Bytes != want.Bytes:
		f.Means = "the bytes were not counted: add up what every Write of the wrapper wrote"
	case got[0].Took != want.Took:
		f.Means = "the duration is not from the call of next to its return"
	}
	t.Error(f)
	return false
}

// checkPassedOn fails the test unless the client got status and body.
func checkPassedOn(t *testing.T, rec *recorder, status int, body string) bool {
	t.Helper()
	if gotStatus, gotBody := rec.result(); gotStatus != status || gotBody != body {
		t.Error(katatest.Failure{
			Want:  fmt.Sprintf("the client gets %d and %q, what the handler wrote", status, body),
			Got:   fmt.Sprintf("%d and %q", gotStatus, gotBody),
			Means: "the wrapper kept part of the response from the client: pass every WriteHeader and Write on to the ResponseWriter it wraps",
			Hint:  6,
		})
		return false
	}
	return true
}

// Task 6: a 404 with a body of 14 bytes, after 3s of work.
func TestLogged_StatusBytesAndTime(t *testing.T) {
	katatest.Bubble(t, 6, func(t *testing.T) {
		var l accessLog
		h := Logged(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			time.Sleep(3 * time.Second)
			w.WriteHeader(http.StatusNotFound)
			io.WriteString(w, "no such build\n")
		}), l.log)
		rec := getDirect(h, "/builds/8/log")
		if !checkPassedOn(t, rec, http.StatusNotFound, "no such build\n") {
			return
		}
		checkEntry(t, &l, Entry{Method: "GET", Path: "/builds/8/log", Status: 404, Bytes: 14, Took: 3 * time.Second}, "a 404 of 14 bytes after 3s")
	})
}

// Task 6: a handler that writes without WriteHeader, or writes nothing,
// has sent 200.
func TestLogged_DefaultStatus(t *testing.T) {
	katatest.Bubble(t, 6, func(t *testing.T) {
		for _, body := range []string{"ok\n", ""} {
			var l accessLog
			h := Logged(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				io.WriteString(w, body)
			}), l.log)
			rec := getDirect(h, "/health")
			if body != "" && !checkPassedOn(t, rec, http.StatusOK, body) {
				return
			}
			if !checkEntry(t, &l, Entry{Method: "GET", Path: "/health", Status: 200, Bytes: int64(len(body))},
				fmt.Sprintf("a handler that wrote %q and no status", body)) {
				return
			}
		}
	})
}

// Task 6: the first status is the one the client got; net/http ignores a
// second WriteHeader (and says so in its log).
func TestLogged_FirstStatusCounts(t *testing.T) {
	katatest.Bubble(t, 6, func(t *testing.T) {
		var l accessLog
		h := Logged(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			w.WriteHeader(http.StatusCreated)
			io.WriteString(w, "made\n")
			w.WriteHeader(http.StatusInternalServerError)
		}), l.log)
		rec := getDirect(h, "/builds")
		if !checkPassedOn(t, rec, http.StatusCreated, "made\n") {
			return
		}
		checkEntry(t, &l, Entry{Method: "GET", Path: "/builds", Status: 201, Bytes: 5}, "201, then a late WriteHeader(500)")
	})
}

// Task 6: Stream behind Logged, over a real server: every line still
// arrives the moment it is ready, and the entry counts the whole stream.
func TestLogged_LetsFlushThrough(t *testing.T) {
	katatest.Bubble(t, 6, func(t *testing.T) {
		var l accessLog
		b := newBuild(3, time.Second, 0)
		ts := serve(t, Logged(Stream(b), l.log), 0)
		s := ts.get("/builds/7/log")
		defer s.close()
		lines, end := s.all()
		if len(lines) == 0 || len(lines) == len(b.events) && lines[0].at == 3*time.Second {
			got := "all three lines at 3s, when the stream ended"
			if len(lines) == 0 {
				got = "no line at all: Stream's first Flush failed (http.ErrNotSupported), and it returned"
			}
			t.Error(katatest.Failure{
				Want: "behind Logged, line 1 at 1s, line 2 at 2s, line 3 at 3s, as without it",
				Got:  got,
				Means: "the wrapper hides Flush: http.NewResponseController finds the Flush of the ResponseWriter underneath " +
					"only through an Unwrap method, and a Flush that does nothing swallows it",
				Hint: 6,
			})
			return
		}
		if !checkLines(t, lines, end, b, every(time.Second), 6) {
			return
		}
		ts.handlerEnded("Stream returns when the build ends", 6)
		var bytes int64
		for _, ev := range b.events {
			bytes += int64(len(jsonLine(ev)))
		}
		checkEntry(t, &l, Entry{Method: "GET", Path: "/builds/7/log", Status: 200, Bytes: bytes, Took: 3 * time.Second}, "a stream of 3 lines over 3s")
	})
}

// Task 6: behind Logged, Stream can still move the write deadline: a 20s
// stream gets through a server whose WriteTimeout is 2.5s.
func TestLogged_LetsTheDeadlineThrough(t *testing.T) {
	katatest.Bubble(t, 6, func(t *testing.T) {
		var l accessLog
		b := newBuild(20, time.Second, 0)
		ts := serve(t, Logged(Stream(b), l.log), 2500*time.Millisecond)
		s := ts.get("/builds/7/log")
		defer s.close()
		lines, end := s.all()
		if len(lines) < len(b.events) {
			t.Error(katatest.Failure{
				Want: "behind Logged, 20 lines over 20s, through a server whose WriteTimeout is 2.5s",
				Got:  fmt.Sprintf("the stream ended (%v) after %s", end, katatest.Count(len(lines), "line")),
				Means: "the wrapper hides SetWriteDeadline: a wrapper that offers Flush alone lets the flushes through but not the deadline " +
					"(SetWriteDeadline fails with http.ErrNotSupported, or the server's WriteTimeout cuts the stream). Give the wrapper an Unwrap method",
				Hint: 6,
			})
			return
		}
		checkLines(t, lines, end, b, every(time.Second), 6)
	})
}

// Task 7: eight requests through one Logged at the same time, each setting
// its own status and writing its own number of bytes. All of them set
// their status at one instant, with nothing between them; then all write.
// Each entry must hold its own request's status and bytes.
func TestLogged_ConcurrentRequests(t *testing.T) {
	katatest.Bubble(t, 7, func(t *testing.T) {
		var l accessLog
		gate := make(chan struct{})
		statuses := []int{200, 201, 202, 203, 204, 400, 404, 409}
		h := Logged(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			var i int
			fmt.Sscanf(r.URL.Path, "/r/%d", &i)
			w.WriteHeader(statuses[i])
			<-gate
			for range i + 1 {
				io.WriteString(w, "x")
			}
		}), l.log)
		var wg sync.WaitGroup
		for i := range statuses {
			wg.Go(func() { getDirect(h, fmt.Sprintf("/r/%d", i)) })
		}
		synctest.Wait()
		close(gate)
		wg.Wait()
		got := map[string]Entry{}
		for _, e := range l.all() {
			got[e.Path] = e
		}
		for i, status := range statuses {
			path := fmt.Sprintf("/r/%d", i)
			want := Entry{Method: "GET", Path: path, Status: status, Bytes: int64(i + 1)}
			if e, ok := got[path]; !ok || e != want || len(got) != len(statuses) {
				t.Error(katatest.Failure{
					Want: fmt.Sprintf("one entry per request; for %s: %+v", path, want),
					Got:  fmt.Sprintf("%s, and for %s: %+v", katatest.Count(len(l.all()), "entry/entries"), path, e),
					Means: "requests share the wrapper's state: the status and the bytes of one request end up in another's entry. " +
						"Make a new wrapper for every request, inside the handler Logged returns",
					Hint: 7,
				})
				return
			}
		}
	})
}
