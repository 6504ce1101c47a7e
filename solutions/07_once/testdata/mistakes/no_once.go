// Mistake: lazy init without Once: a plain "connected" flag.
//
// Get checks a bool, dials, and sets the bool. Called one at a time it is
// perfect, and it even remembers a failed dial. But the check and the dial
// are separate steps: every caller that arrives while the first dial is in
// progress sees "not connected yet" and dials too. The flag and the
// connection are also written with no synchronization, a data race.
//
// Replaces: client.go
// Kind: data race
// Expect: lazy init without Once

package once

// A Conn is an open connection to the database.
type Conn struct {
	Session int // the session number the database gave this connection
}

// A Client connects to the database lazily.
type Client struct {
	dial      Dialer
	connected bool
	conn      *Conn
	err       error
}

// NewClient returns a Client that will connect with dial.
func NewClient(dial Dialer) *Client {
	return &Client{dial: dial}
}

// Get returns the Client's connection, dialing on the first call.
func (c *Client) Get() (*Conn, error) {
	if !c.connected {
		c.conn, c.err = c.dial()
		c.connected = true
	}
	return c.conn, c.err
}
