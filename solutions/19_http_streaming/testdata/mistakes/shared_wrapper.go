// Mistake: one wrapper serves every request.
//
// The middleware is a struct that is its own ResponseWriter: ServeHTTP
// stores w in it and hands itself to next. In Node each request has its
// own res, and nothing else runs during a line of JavaScript. In Go the
// server calls ServeHTTP for many requests at once, each in its own
// goroutine: they all write the one struct's fields, a data race, and one
// request's status is logged for another.
//
// Replaces: logging.go
// Removes: logWriter, logWriter.WriteHeader, logWriter.Write, logWriter.Unwrap
// Kind: data race
// Expect: WARNING: DATA RACE
// Expect: requests share the wrapper's state

package httpstreaming

import (
	"net/http"
	"time"
)

func Logged(next http.Handler, log func(Entry)) http.Handler {
	return &logMiddleware{next: next, log: log}
}

type logMiddleware struct {
	next   http.Handler
	log    func(Entry)
	w      http.ResponseWriter
	status int
	bytes  int64
}

func (m *logMiddleware) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	start := time.Now()
	m.w, m.status, m.bytes = w, 0, 0
	m.next.ServeHTTP(m, r)
	status := m.status
	if status == 0 {
		status = http.StatusOK
	}
	m.log(Entry{Method: r.Method, Path: r.URL.Path, Status: status, Bytes: m.bytes, Took: time.Since(start)})
}

func (m *logMiddleware) Header() http.Header { return m.w.Header() }

func (m *logMiddleware) WriteHeader(status int) {
	if m.status == 0 {
		m.status = status
	}
	m.w.WriteHeader(status)
}

func (m *logMiddleware) Write(p []byte) (int, error) {
	if m.status == 0 {
		m.status = http.StatusOK
	}
	n, err := m.w.Write(p)
	m.bytes += int64(n)
	return n, err
}

func (m *logMiddleware) Unwrap() http.ResponseWriter { return m.w }
