// Mistake: the "started" flag is set before the dial has finished.
//
// CompareAndSwap picks exactly one caller to dial, so dial runs once: the
// count is right. But the callers that lose the swap do not wait; they
// return conn and err at once, while the winner is still dialing, and get
// nil and nil. This is the shape that sync.Once's own documentation warns
// about: Once is a lock plus a flag, and the losers wait on the lock.
//
// Replaces: client.go
// Kind: data race
// Expect: returned before the first dial finished

package once

import "sync/atomic"

// A Conn is an open connection to the database.
type Conn struct {
	Session int // the session number the database gave this connection
}

// A Client connects to the database lazily.
type Client struct {
	dial    Dialer
	started atomic.Bool
	conn    *Conn
	err     error
}

// NewClient returns a Client that will connect with dial.
func NewClient(dial Dialer) *Client {
	return &Client{dial: dial}
}

// Get returns the Client's connection, dialing on the first call.
func (c *Client) Get() (*Conn, error) {
	if c.started.CompareAndSwap(false, true) {
		c.conn, c.err = c.dial()
	}
	return c.conn, c.err
}
