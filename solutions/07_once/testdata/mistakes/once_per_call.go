// Mistake: a new Once is made inside Get, on every call.
//
// sync.OnceValues(c.dial) returns a function that runs dial once, for the
// callers of that function. Building it inside Get gives every call its
// own fresh Once, so every call dials. The Once must be made once, in
// NewClient, and kept in the Client.
//
// Replaces: client.go
// Kind: test failed
// Expect: a new Once made inside Get

package once

import "sync"

// A Conn is an open connection to the database.
type Conn struct {
	Session int // the session number the database gave this connection
}

// A Client connects to the database lazily.
type Client struct {
	dial Dialer
}

// NewClient returns a Client that will connect with dial.
func NewClient(dial Dialer) *Client {
	return &Client{dial: dial}
}

// Get returns the Client's connection, dialing on the first call.
func (c *Client) Get() (*Conn, error) {
	return sync.OnceValues(c.dial)()
}
