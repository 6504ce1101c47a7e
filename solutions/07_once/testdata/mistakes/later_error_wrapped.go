// Mistake: later callers get the dial error wrapped in a new error.
//
// The Once dials once and keeps the error, but every Get after the first
// returns fmt.Errorf("db: earlier dial failed: %w", err). errors.Is still
// matches, yet the contract is "the same error": a caller that compares
// with == or checks the error's concrete value no longer recognises it.
//
// Replaces: client.go
// Kind: test failed
// Expect: Get wraps the dial error

package once

import (
	"fmt"
	"sync"
)

type Conn struct {
	Session int
}

type Client struct {
	dial  Dialer
	once  sync.Once
	conn  *Conn
	err   error
	first sync.Once
}

func NewClient(dial Dialer) *Client { return &Client{dial: dial} }

func (c *Client) Get() (*Conn, error) {
	ran := false
	c.once.Do(func() {
		ran = true
		c.conn, c.err = c.dial()
	})
	if c.err != nil && !ran {
		return nil, fmt.Errorf("db: earlier dial failed: %w", c.err)
	}
	return c.conn, c.err
}
