// Package once is lesson 07: run a piece of work exactly once, however many
// goroutines ask for it at the same time. A database client connects on
// first use and every caller shares that one connection, or that one error;
// a subscription can be closed any number of times, from any number of
// goroutines, and unsubscribes exactly once.
package once

// A Conn is an open connection to the database. Opening one is slow (a
// network round trip and a login) and costs the database a session, so a
// program wants exactly one.
type Conn struct {
	Session int // the session number the database gave this connection
}

// A Dialer opens a connection to the database. It is slow and it may fail.
type Dialer func() (*Conn, error)

// A Client connects to the database lazily: nothing happens until the first
// call to Get. The zero Client is not usable; call NewClient.
type Client struct {
	dial Dialer

	// TODO: Get below is check-then-act with no synchronization. Replace
	// these fields with what makes the dial happen exactly once.
	conn *Conn
	err  error
}

// NewClient returns a Client that will connect with dial. NewClient does not
// dial: the connection is made by the first Get.
func NewClient(dial Dialer) *Client {
	return &Client{dial: dial}
}

// Get returns the Client's connection, dialing on the first call.
//
// Get may be called from many goroutines at once. However many call it, and
// however often, dial runs exactly once. Callers that arrive while that dial
// is in progress wait for it. Every caller gets the same *Conn, or, if the
// dial failed, the same error and a nil *Conn.
//
// A failed dial is final: Get never dials again, and every later call
// returns the same error. To try again, make a new Client.
func (c *Client) Get() (*Conn, error) {
	// TODO: two callers can both see "not connected yet" before either has
	// finished dialing, and then both dial. A failed dial leaves conn nil,
	// so every later call dials again. Make the dial happen exactly once.
	if c.conn == nil {
		c.conn, c.err = c.dial()
	}
	return c.conn, c.err
}
