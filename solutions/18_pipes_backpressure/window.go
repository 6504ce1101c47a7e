package pipesbackpressure

import (
	"io"
	"sync"
)

// A Window is an in-memory pipe with room for a fixed number of bytes: Node's
// highWaterMark as a Go type. One goroutine writes to it and one reads from
// it; either may close its own side at any time.
//
// Unlike io.Pipe, a Write returns as soon as its bytes are in the window,
// before anyone read them; but never more than the window's size is held,
// so a producer is at most that many bytes ahead of its consumer.
//
// Use NewWindow to make one.
type Window struct {
	mu      sync.Mutex
	changed sync.Cond // broadcast when bytes come or go, or a side closes
	buf     []byte    // the bytes in the window, never more than size
	size    int

	wclosed, rclosed bool
	werr, rerr       error // what the closed side's counterpart is told
}

// NewWindow returns an empty Window with room for size bytes. It panics if
// size is less than 1, since nothing could ever be written.
func NewWindow(size int) *Window {
	if size < 1 {
		panic("pipesbackpressure: NewWindow with a size below 1")
	}
	w := &Window{buf: make([]byte, 0, size), size: size}
	w.changed.L = &w.mu
	return w
}

// Write copies p into the window and returns len(p), nil once the last
// byte of p is in. While the window is full it waits for the reader to make
// room (Node's 'drain' event), so a p bigger than the window goes in piece
// by piece as the reader reads. Write does not keep p.
//
// Write after CloseWrite is an error, io.ErrClosedPipe, never a hang (Node's
// "write after end"). Once the reader closed its side, Write fails at once,
// a Write waiting for room too: it returns how many bytes of p went in and
// the reader's error, or io.ErrClosedPipe if the reader closed it with nil.
func (w *Window) Write(p []byte) (int, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	n := 0
	for {
		switch {
		case w.wclosed:
			return n, io.ErrClosedPipe
		case w.rclosed:
			return n, w.rerr
		}
		if n == len(p) {
			return n, nil
		}
		if room := w.size - len(w.buf); room > 0 {
			k := min(room, len(p)-n)
			w.buf = append(w.buf, p[n:n+k]...) // a copy: p is not kept
			n += k
			w.changed.Broadcast()
			continue
		}
		w.changed.Wait() // full: wait for the reader to drain
	}
}

// Read copies up to len(p) bytes out of the window into p and returns how
// many; it never returns 0 bytes with a nil error. While the window is
// empty it waits for the writer. Every byte read makes room for the writer.
//
// Once the writer closed its side and the window is empty, Read returns 0
// and the writer's error, or io.EOF if the writer closed it with nil. After
// CloseRead, Read returns io.ErrClosedPipe.
func (w *Window) Read(p []byte) (int, error) {
	w.mu.Lock()
	defer w.mu.Unlock()
	for {
		switch {
		case w.rclosed:
			return 0, io.ErrClosedPipe
		case len(w.buf) > 0:
			n := copy(p, w.buf)
			w.buf = append(w.buf[:0], w.buf[n:]...)
			w.changed.Broadcast()
			return n, nil
		case w.wclosed:
			return 0, w.werr
		}
		w.changed.Wait() // empty: wait for the writer
	}
}

// CloseWrite closes the writer's side: the reader still reads the bytes in
// the window, then err, or io.EOF if err is nil. It wakes a Read that
// waits. Only the first CloseWrite counts.
func (w *Window) CloseWrite(err error) {
	if err == nil {
		err = io.EOF
	}
	w.mu.Lock()
	defer w.mu.Unlock()
	if !w.wclosed {
		w.wclosed, w.werr = true, err
		w.changed.Broadcast()
	}
}

// CloseRead closes the reader's side: the bytes in the window are dropped,
// and every Write from now on, and one that waits for room, returns err, or
// io.ErrClosedPipe if err is nil. Only the first CloseRead counts.
func (w *Window) CloseRead(err error) {
	if err == nil {
		err = io.ErrClosedPipe
	}
	w.mu.Lock()
	defer w.mu.Unlock()
	if !w.rclosed {
		w.rclosed, w.rerr = true, err
		w.buf = w.buf[:0]
		w.changed.Broadcast()
	}
}

var _ io.ReadWriter = (*Window)(nil)
