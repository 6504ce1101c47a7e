package pipesbackpressure

import (
	"errors"
	"io"
)

// errTODO is what the starter returns. Remove it when Window is done.
var errTODO = errors.New("pipesbackpressure: Window is not written yet")

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
	// TODO: the bytes in the window, its size, the state of both sides, and
	// what makes Read and Write wait (a sync.Mutex and a sync.Cond, or
	// channels).
}

// NewWindow returns an empty Window with room for size bytes. It panics if
// size is less than 1, since nothing could ever be written.
func NewWindow(size int) *Window {
	// TODO
	return &Window{}
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
	// TODO
	return 0, errTODO
}

// Read copies up to len(p) bytes out of the window into p and returns how
// many; it never returns 0 bytes with a nil error. While the window is
// empty it waits for the writer. Every byte read makes room for the writer.
//
// Once the writer closed its side and the window is empty, Read returns 0
// and the writer's error, or io.EOF if the writer closed it with nil. After
// CloseRead, Read returns io.ErrClosedPipe.
func (w *Window) Read(p []byte) (int, error) {
	// TODO
	return 0, errTODO
}

// CloseWrite closes the writer's side: the reader still reads the bytes in
// the window, then err, or io.EOF if err is nil. It wakes a Read that
// waits. Only the first CloseWrite counts.
func (w *Window) CloseWrite(err error) {
	// TODO
}

// CloseRead closes the reader's side: the bytes in the window are dropped,
// and every Write from now on, and one that waits for room, returns err, or
// io.ErrClosedPipe if err is nil. Only the first CloseRead counts.
func (w *Window) CloseRead(err error) {
	// TODO
}

var _ io.ReadWriter = (*Window)(nil)
