package selecttimeouts

import (
	"context"
	"time"
)

// Heartbeat calls beat on a fixed schedule until ctx is done: at every,
// 2*every, 3*every, ... after Heartbeat was called, like a peer that tells
// a load balancer "still alive" every second. A slow beat does not shift
// the schedule: if beat takes 300ms, the next one still starts on the next
// multiple of every. (If a beat takes longer than every, the ticks it
// missed are dropped, as a time.Ticker drops them.)
//
// Heartbeat calls beat on its own goroutine, one beat at a time, and
// blocks until ctx is done. Then it returns at once, or as soon as a beat
// that is running has returned. After Heartbeat returns, beat is never
// called again and nothing Heartbeat started is still running: its ticker
// is stopped. every must be positive.
func Heartbeat(ctx context.Context, every time.Duration, beat func()) {
	ticker := time.NewTicker(every)
	defer ticker.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-ticker.C:
			beat()
		}
	}
}
