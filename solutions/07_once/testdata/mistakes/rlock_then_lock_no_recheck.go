// Mistake: RLock to check, then Lock and dial without checking again.
//
// Double-checked locking with a sync.RWMutex, but the second check is
// missing: RLock, return if connected, RUnlock; Lock, dial, store, Unlock.
// A caller that passed the read check before the first caller took Lock
// waits for the lock and then dials again. It needs two callers in the
// short window between RUnlock and Lock, so it almost never shows in a
// test run, and shows in production as an occasional second session.
//
// Replaces: client.go
// Kind: test failed
// Expect: without checking again

package once

import "sync"

type Conn struct {
	Session int
}

type Client struct {
	dial Dialer
	mu   sync.RWMutex
	done bool
	conn *Conn
	err  error
}

func NewClient(dial Dialer) *Client { return &Client{dial: dial} }

func (c *Client) Get() (*Conn, error) {
	c.mu.RLock()
	if c.done {
		defer c.mu.RUnlock()
		return c.conn, c.err
	}
	c.mu.RUnlock()

	c.mu.Lock()
	defer c.mu.Unlock()
	c.conn, c.err = c.dial()
	c.done = true
	return c.conn, c.err
}
