// Mistake: a failed dial is retried by the next caller.
//
// The mutex is held across the whole check-dial-store, so there is no
// race and a successful dial happens once. But only success is remembered:
// after a failure every caller dials again, one after another, each
// waiting for the last to fail. With a database that is down, 50 waiting
// requests make 50 slow dials in a row. Retrying can be a fine design, but
// it is not this Client's contract: a failed dial is final.
//
// Replaces: client.go
// Kind: test failed
// Expect: a failed dial was retried

package once

import "sync"

// A Conn is an open connection to the database.
type Conn struct {
	Session int // the session number the database gave this connection
}

// A Client connects to the database lazily.
type Client struct {
	dial Dialer

	mu   sync.Mutex // protects conn, and is held while dialing
	conn *Conn
}

// NewClient returns a Client that will connect with dial.
func NewClient(dial Dialer) *Client {
	return &Client{dial: dial}
}

// Get returns the Client's connection, dialing on the first call.
func (c *Client) Get() (*Conn, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.conn != nil {
		return c.conn, nil
	}
	conn, err := c.dial()
	if err != nil {
		return nil, err
	}
	c.conn = conn
	return conn, nil
}
