// Mistake: an atomic fast path, then a dial under the lock without checking again.
//
// Get loads the connection with an atomic and returns it if it is there;
// otherwise it takes a mutex and dials. The load is race-free and later
// calls reuse the connection, but every caller that loaded nil while the
// first was dialing waits for the mutex and then dials again, one after
// another.
//
// Replaces: client.go
// Kind: test failed
// Expect: without checking again

package once

import (
	"sync"
	"sync/atomic"
)

type Conn struct {
	Session int
}

type Client struct {
	dial Dialer
	mu   sync.Mutex
	conn atomic.Pointer[Conn]
	err  error // guarded by mu
	done atomic.Bool
}

func NewClient(dial Dialer) *Client { return &Client{dial: dial} }

func (c *Client) Get() (*Conn, error) {
	if c.done.Load() {
		c.mu.Lock()
		defer c.mu.Unlock()
		return c.conn.Load(), c.err
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	conn, err := c.dial()
	c.conn.Store(conn)
	c.err = err
	c.done.Store(true)
	return conn, err
}
