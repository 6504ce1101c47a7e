// Mistake: sync.Once is used, but the dial error goes only to the first
// caller.
//
// The connection is kept in the Client, the error in a local variable of
// the Get call that happened to run the dial. Every other caller's err
// stays nil, so they get a nil *Conn and no error, and crash later on the
// nil pointer, far from the cause. With a working database it never shows.
//
// Replaces: client.go
// Kind: test failed
// Expect: only the first caller saw the dial error

package once

import "sync"

// A Conn is an open connection to the database.
type Conn struct {
	Session int // the session number the database gave this connection
}

// A Client connects to the database lazily.
type Client struct {
	dial Dialer
	once sync.Once
	conn *Conn
}

// NewClient returns a Client that will connect with dial.
func NewClient(dial Dialer) *Client {
	return &Client{dial: dial}
}

// Get returns the Client's connection, dialing on the first call.
func (c *Client) Get() (*Conn, error) {
	var err error
	c.once.Do(func() {
		c.conn, err = c.dial()
	})
	return c.conn, err
}
