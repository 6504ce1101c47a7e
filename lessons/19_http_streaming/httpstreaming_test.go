package httpstreaming

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"runtime"
	"runtime/debug"
	"runtime/metrics"
	"strings"
	"sync"
	"testing"
	"testing/synctest"
	"time"

	"github.com/gokatas/concurrency/lessons/internal/katatest"
)

func TestMain(m *testing.M) { katatest.Main(m) }

// This file holds the helpers that the lesson's tests share: a generated
// request body, a ResponseWriter that is safe to read while a handler
// writes, a fake build feed, and an http.Server that serves over net.Pipe
// connections inside a synctest bubble.

// ---- request bodies ----

const (
	kib = 1 << 10
	mib = 1 << 20
)

// pattern is the content of every generated body, repeated: bytes that are
// not all alike, so that a hash of the wrong bytes shows.
var pattern = func() []byte {
	p := make([]byte, 64*kib)
	x := uint32(2463534242)
	for i := range p {
		x ^= x << 13
		x ^= x >> 17
		x ^= x << 5
		p[i] = byte(x)
	}
	return p
}()

// A body is a request body of size bytes, made on the fly as it is read:
// it never exists in memory as a whole. It counts what the handler read.
// If onRead is set, body calls it after each Read with the bytes read so
// far (the tests use it to sample the heap and to make the client leave).
//
// A body is read by the handler's goroutine alone; the tests look at it
// only after the handler has returned.
type body struct {
	size   int64
	read   int64 // the bytes handed out so far
	reads  int   // the calls of Read
	onRead func(read int64)
	err    error // returned instead of io.EOF at the end, if set
}

func (b *body) Read(p []byte) (int, error) {
	b.reads++
	if b.read >= b.size {
		if b.err != nil {
			return 0, b.err
		}
		return 0, io.EOF
	}
	if rest := b.size - b.read; int64(len(p)) > rest {
		p = p[:rest]
	}
	n := 0
	for n < len(p) {
		n += copy(p[n:], pattern[(b.read+int64(n))%int64(len(pattern)):])
	}
	b.read += int64(n)
	if b.onRead != nil {
		b.onRead(b.read)
	}
	return n, nil
}

// content returns the first n bytes that every body hands out.
func content(n int64) []byte {
	out := make([]byte, n)
	for i := int64(0); i < n; i += int64(len(pattern)) {
		copy(out[i:], pattern)
	}
	return out
}

// ---- the heap ----

// heapBytes returns the bytes of heap objects right now, live ones and
// garbage not yet swept (runtime.MemStats.HeapAlloc), without allocating.
func heapBytes(s []metrics.Sample) uint64 {
	metrics.Read(s)
	return s[0].Value.Uint64()
}

// peakHeap runs f with the garbage collector at its default setting and
// returns by how much the heap grew above what was live before f, at the
// highest of the samples that f takes with sample (which returns the peak
// so far). A handler that streams
// holds a buffer and makes a little garbage that the collector takes back;
// one that buffers the body makes the heap grow by the body's size.
func peakHeap(f func(sample func() uint64)) uint64 {
	defer debug.SetGCPercent(debug.SetGCPercent(100))
	s := []metrics.Sample{{Name: "/memory/classes/heap/objects:bytes"}}
	runtime.GC()
	base := heapBytes(s)
	var peak uint64
	sample := func() uint64 {
		if h := heapBytes(s); h > base && h-base > peak {
			peak = h - base
		}
		return peak
	}
	f(sample)
	return peak
}

// ---- responses ----

// A recorder is a ResponseWriter for direct ServeHTTP calls that records
// what the handler did. Unlike httptest.ResponseRecorder it is safe to
// read while the handler is still writing: every field is guarded by mu.
type recorder struct {
	mu      sync.Mutex
	header  http.Header
	status  int // the status of the first WriteHeader or Write; 0 if none
	headers int // the calls of WriteHeader
	body    strings.Builder
	flushes int
}

func newRecorder() *recorder { return &recorder{header: http.Header{}} }

func (r *recorder) Header() http.Header { return r.header }

func (r *recorder) WriteHeader(status int) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.headers++
	if r.status == 0 {
		r.status = status
	}
}

func (r *recorder) Write(p []byte) (int, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.status == 0 {
		r.status = http.StatusOK
	}
	return r.body.Write(p)
}

func (r *recorder) Flush() {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.flushes++
}

// result returns the status (0 if the handler wrote nothing) and the body
// written so far.
func (r *recorder) result() (int, string) {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.status, r.body.String()
}

// ---- a server on net.Pipe ----

// A pipeListener is a net.Listener whose connections are net.Pipe pairs:
// Dial hands the server's end to Accept and returns the client's end. No
// socket is involved, so it works inside a synctest bubble, and writes on
// a pipe block until the other end reads, as on a real connection whose
// buffers are full.
type pipeListener struct {
	conns chan net.Conn
	done  chan struct{}
	once  sync.Once
}

func newPipeListener() *pipeListener {
	return &pipeListener{conns: make(chan net.Conn), done: make(chan struct{})}
}

func (l *pipeListener) Accept() (net.Conn, error) {
	select {
	case c := <-l.conns:
		return c, nil
	case <-l.done:
		return nil, net.ErrClosed
	}
}

func (l *pipeListener) Close() error {
	l.once.Do(func() { close(l.done) })
	return nil
}

func (l *pipeListener) Addr() net.Addr { return pipeAddr{} }

func (l *pipeListener) Dial(ctx context.Context, _, _ string) (net.Conn, error) {
	server, client := net.Pipe()
	select {
	case l.conns <- server:
		return client, nil
	case <-l.done:
		return nil, net.ErrClosed
	case <-ctx.Done():
		return nil, ctx.Err()
	}
}

type pipeAddr struct{}

func (pipeAddr) Network() string { return "pipe" }
func (pipeAddr) String() string  { return "pipe" }

// A testServer is an http.Server serving h over net.Pipe connections, and
// a client that dials it. It must run inside a bubble. It notes when the
// handler returned.
type testServer struct {
	t      *testing.T
	start  time.Time
	srv    *http.Server
	ln     *pipeListener
	client *http.Client
	served chan error
	ended  chan time.Duration // when the handler returned, since start
}

// serve starts a server for h; writeTimeout is the server's WriteTimeout
// (0 for none). It stops the server when the test ends.
func serve(t *testing.T, h http.Handler, writeTimeout time.Duration) *testServer {
	ts := &testServer{
		t:      t,
		start:  time.Now(),
		ln:     newPipeListener(),
		served: make(chan error, 1),
		ended:  make(chan time.Duration, 1),
	}
	ts.srv = &http.Server{
		Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			defer func() { ts.ended <- time.Since(ts.start) }()
			h.ServeHTTP(w, r)
		}),
		WriteTimeout: writeTimeout,
		ErrorLog:     nil,
	}
	ts.client = &http.Client{Transport: &http.Transport{DialContext: ts.ln.Dial}}
	go func() { ts.served <- ts.srv.Serve(ts.ln) }()
	t.Cleanup(ts.stop)
	return ts
}

func (ts *testServer) stop() {
	ts.client.CloseIdleConnections()
	ts.srv.Close()
	<-ts.served
	synctest.Wait()
}

// handlerEnded returns when the handler returned, since the server
// started; it waits up to an hour of fake time, and fails the test if the
// handler has not returned by then.
func (ts *testServer) handlerEnded(what string, hint int) time.Duration {
	ts.t.Helper()
	select {
	case d := <-ts.ended:
		return d
	case <-time.After(time.Hour):
		ts.t.Fatal(katatest.Failure{
			Want:  what,
			Got:   "the handler had not returned an hour (of fake time) later",
			Means: "the handler waits for something that never comes",
			Hint:  hint,
		})
	}
	return 0
}

// A line is one line of a streamed response, and when the client got it.
type line struct {
	text string
	at   time.Duration
}

// A stream is a streamed response as the client reads it.
type stream struct {
	resp   *http.Response
	header time.Duration // when the status and headers arrived
	r      *bufio.Reader
	start  time.Time
	cancel context.CancelFunc // cancels the request: the client's connection closes at once
}

// get sends GET path and returns the response once its headers have
// arrived. It fails the test if none comes within an hour of fake time.
func (ts *testServer) get(path string) *stream {
	ts.t.Helper()
	type got struct {
		resp *http.Response
		err  error
	}
	ch := make(chan got, 1)
	ctx, cancel := context.WithCancel(context.Background())
	ts.t.Cleanup(cancel)
	go func() {
		req, err := http.NewRequestWithContext(ctx, http.MethodGet, "http://pipe"+path, nil)
		if err != nil {
			ch <- got{nil, err}
			return
		}
		resp, err := ts.client.Do(req)
		ch <- got{resp, err}
	}()
	select {
	case g := <-ch:
		if g.err != nil {
			ts.t.Fatal(katatest.Failure{
				Want:  "GET " + path + " gets a response",
				Got:   fmt.Sprintf("the request failed at %v: %v", time.Since(ts.start), g.err),
				Means: "the response never started: nothing was flushed, and the connection failed before the handler returned (a server WriteTimeout passes while the lines sit in the buffer)",
				Hint:  4,
			})
		}
		return &stream{resp: g.resp, header: time.Since(ts.start), r: bufio.NewReader(g.resp.Body), start: ts.start, cancel: cancel}
	case <-time.After(time.Hour):
		ts.t.Fatal(katatest.Failure{
			Want:  "the response's status and headers arrive",
			Got:   "none had arrived an hour (of fake time) after the request",
			Means: "the handler never wrote, flushed or returned",
			Hint:  4,
		})
	}
	return nil
}

// next reads the next line; err is io.EOF at a clean end of the stream.
func (s *stream) next() (line, error) {
	text, err := s.r.ReadString('\n')
	if err == io.EOF && text != "" {
		err = io.ErrUnexpectedEOF // a line cut off in the middle
	}
	return line{text, time.Since(s.start)}, err
}

// all reads the lines until the stream ends, and how it ended.
func (s *stream) all() ([]line, error) {
	var lines []line
	for {
		l, err := s.next()
		if err != nil {
			return lines, err
		}
		lines = append(lines, l)
	}
}

// close is the client going away: it cancels the request, which closes
// the connection at once. Closing only the body would not do: since Go
// 1.27 the Transport first reads what is left of it, for up to 50ms, to
// keep the connection for another request.
func (s *stream) close() {
	s.cancel()
	s.resp.Body.Close()
}

// ---- a fake build ----

// A build is a fake Feed: event i (from 1) is ready at i*every after the
// build started, and after the last one the build takes endAfter more to
// end. Next waits for the event with a timer, and returns false as soon
// as its context is done. The build records every call and when it saw
// its context done.
type build struct {
	start    time.Time
	events   []Event
	every    time.Duration
	endAfter time.Duration

	mu          sync.Mutex
	calls       int           // the calls of Next
	cancelledAt time.Duration // when a Next saw its context done; -1 if never
	afterEnd    int           // calls of Next after one returned false
	ended       bool
	ctxs        []context.Context
}

func newBuild(n int, every, endAfter time.Duration) *build {
	b := &build{start: time.Now(), every: every, endAfter: endAfter, cancelledAt: -1}
	for i := 1; i <= n; i++ {
		b.events = append(b.events, Event{Seq: i, Text: fmt.Sprintf("step %d of %d", i, n)})
	}
	return b
}

func (b *build) Next(ctx context.Context) (Event, bool) {
	b.mu.Lock()
	i := b.calls
	b.calls++
	if b.ended {
		b.afterEnd++
	}
	b.ctxs = append(b.ctxs, ctx)
	b.mu.Unlock()

	var ready time.Duration
	if i < len(b.events) {
		ready = time.Duration(i+1) * b.every
	} else {
		ready = time.Duration(len(b.events))*b.every + b.endAfter
	}
	timer := time.NewTimer(ready - time.Since(b.start))
	defer timer.Stop()
	select {
	case <-timer.C:
	case <-ctx.Done():
		b.mu.Lock()
		if b.cancelledAt < 0 {
			b.cancelledAt = time.Since(b.start)
		}
		b.ended = true
		b.mu.Unlock()
		return Event{}, false
	}
	if i < len(b.events) {
		return b.events[i], true
	}
	b.mu.Lock()
	b.ended = true
	b.mu.Unlock()
	return Event{}, false
}

func (b *build) state() (calls int, cancelledAt time.Duration, afterEnd int) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.calls, b.cancelledAt, b.afterEnd
}
