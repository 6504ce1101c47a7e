// Mistake: a mutex guards the check, but the dial runs outside the lock.
//
// Every read and write of the fields is under the mutex, so -race is quiet.
// But the lock is released between "is there a connection?" and "store the
// connection", and the slow dial happens in that gap. Callers that arrive
// during the dial all see no connection and all dial: check-then-act with
// a lock around each half instead of around the whole.
//
// Replaces: client.go
// Kind: test failed
// Expect: guards the check but not the dial

package once

import "sync"

// A Conn is an open connection to the database.
type Conn struct {
	Session int // the session number the database gave this connection
}

// A Client connects to the database lazily.
type Client struct {
	dial Dialer

	mu     sync.Mutex // protects dialed, conn, err
	dialed bool
	conn   *Conn
	err    error
}

// NewClient returns a Client that will connect with dial.
func NewClient(dial Dialer) *Client {
	return &Client{dial: dial}
}

// Get returns the Client's connection, dialing on the first call.
func (c *Client) Get() (*Conn, error) {
	c.mu.Lock()
	dialed := c.dialed
	c.mu.Unlock()

	if !dialed {
		conn, err := c.dial() // slow, so no lock held
		c.mu.Lock()
		c.conn, c.err, c.dialed = conn, err, true
		c.mu.Unlock()
	}

	c.mu.Lock()
	defer c.mu.Unlock()
	return c.conn, c.err
}
