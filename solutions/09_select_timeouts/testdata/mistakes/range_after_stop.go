// Mistake: a goroutine ranges over ticker.C, expecting Stop to end it.
//
// Stop stops the ticks, but it does not close ticker.C (a close would
// look like a tick to a select). The goroutine in the for-range loop waits
// for the next tick forever: a goroutine leak on every Heartbeat. The
// beats themselves stop in time, so a test that only counts beats passes.
//
// Replaces: heartbeat.go
// Kind: goroutine leak
// Expect: ticker.Stop does not close ticker.C

package selecttimeouts

import (
	"context"
	"time"
)

// Heartbeat calls beat every interval until ctx is done.
func Heartbeat(ctx context.Context, every time.Duration, beat func()) {
	ticker := time.NewTicker(every)
	go func() {
		for range ticker.C {
			beat()
		}
	}()
	<-ctx.Done()
	ticker.Stop()
}
