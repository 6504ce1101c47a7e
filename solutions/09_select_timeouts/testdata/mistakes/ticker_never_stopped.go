// Mistake: the ticker is never stopped, and its goroutine beats forever.
//
// time.Tick hands out the channel of a ticker that nobody can stop, and
// the goroutine ranging over it has no way to end. Heartbeat returns when
// ctx is done, so the caller believes the heartbeat has stopped, but beats
// keep coming: a dead peer that still says "alive", plus a leaked
// goroutine. It is setInterval without clearInterval.
//
// Replaces: heartbeat.go
// Kind: goroutine leak
// Expect: the ticker was never stopped

package selecttimeouts

import (
	"context"
	"time"
)

// Heartbeat calls beat every interval until ctx is done.
func Heartbeat(ctx context.Context, every time.Duration, beat func()) {
	go func() {
		for range time.Tick(every) {
			beat()
		}
	}()
	<-ctx.Done()
}
