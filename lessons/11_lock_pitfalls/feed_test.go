package lockpitfalls

import (
	"fmt"
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/gokatas/concurrency/lessons/internal/katatest"
)

const sendUnderLock = "deadlock: sending on a channel while holding the lock. Publish holds f.mu while it waits " +
	"for the watcher to receive; the watcher, before it receives, calls a Feed method that waits for f.mu. " +
	"Each waits for the other. (A deferred Unlock runs only when Publish returns, after the sends.) " +
	"Copy what you need under the lock, Unlock, then send."

var testEvents = []Event{{From: 1, To: 2, Amount: 30}, {From: 2, To: 3, Amount: 5}, {From: 3, To: 1, Amount: 12}}

// Task 5: Publish records events and delivers them in order.
func TestFeed_PublishAndHistory(t *testing.T) {
	isolate(t, 6, sendUnderLock, func(t *testing.T) {
		var f Feed
		ch := make(chan Event, len(testEvents)) // room for all: nothing waits
		f.Watch(ch)
		for _, e := range testEvents {
			f.Publish(e)
		}
		assert.Equal(t, testEvents, f.History(), katatest.Means("History returns every event, oldest first", 6))
		for i, want := range testEvents {
			select {
			case got := <-ch:
				assert.Equal(t, want, got, katatest.Means(fmt.Sprintf("event %d reaches the watcher in publish order", i), 6))
			default:
				t.Error(katatest.Failure{
					Want: fmt.Sprintf("event %d is in the watcher's channel when Publish returns: the channel has room for every event", i),
					Got:  "it was not",
					Means: "Publish returned without sending the event: it was dropped, or handed to a goroutine " +
						"that sends it later (fire and forget: `go func() { ch <- e }()`), so events arrive late, " +
						"out of order, or never. Send in Publish itself, after Unlock",
					Hint: 6,
				})
				return
			}
		}
		h := f.History()
		h[0].Amount = 999
		assert.Equal(t, testEvents[0], f.History()[0], katatest.Means("History returns a copy: changing it does not change the feed", 6))
	})
}

// Task 5: a watcher that reads the history before receiving the next event.
//
// The watcher receives each event only once the publisher is blocked
// sending it, and before it receives the second one it calls History. If
// Publish sends while holding f.mu, History waits for Publish and Publish
// for the watcher, every run.
func TestFeed_WatcherCallsHistory(t *testing.T) {
	isolate(t, 6, sendUnderLock, func(t *testing.T) {
		var f Feed
		watchSlowly(t, &f, testEvents[:2], func(i int) {
			if i == 1 {
				assert.Equal(t, testEvents[:2], f.History(), katatest.Means("History includes the event "+
					"being published: Publish adds it to the history before sending", 6))
			}
		})
	})
}

// Task 5: a watcher that adds another watcher while it handles an event.
func TestFeed_WatcherAddsWatcher(t *testing.T) {
	isolate(t, 6, sendUnderLock, func(t *testing.T) {
		var f Feed
		extra := make(chan Event, len(testEvents))
		watchSlowly(t, &f, testEvents, func(i int) {
			if i == 1 {
				f.Watch(extra)
			}
		})
		// extra was added while event 1 was being sent: it gets event 2 only.
		select {
		case e := <-extra:
			assert.Equal(t, testEvents[2], e, katatest.Means("a watcher gets the events published after Watch, "+
				"not the one being sent while it was added", 6))
		default:
			t.Error("a watcher added by Watch did not receive the next event")
		}
	})
}

// watchSlowly is a watcher on an unbuffered channel: it publishes events
// from another goroutine, and for each event waits until the publisher is
// blocked sending it, calls handle(i), and only then receives it. It checks
// that every event arrives, in order, and returns when the publisher has
// returned.
func watchSlowly(t *testing.T, f *Feed, events []Event, handle func(i int)) {
	ch := make(chan Event) // unbuffered: a send waits for this watcher
	f.Watch(ch)
	published := make(chan struct{})
	go publishEvents(f, events, published)
	for i, want := range events {
		if !waitBlocked("publishEvents", published, "chan send") && isClosed(published) {
			select {
			case got := <-ch: // a send still pending after Publish returned
				t.Error(katatest.Failure{
					Want: fmt.Sprintf("Publish waits until the watcher has received event %d", i),
					Got: fmt.Sprintf("Publish returned first, and %v was sent later, from another goroutine "+
						"(event %d is %v)", got, i, want),
					Means: "fire-and-forget send: Publish handed the send to a goroutine of its own " +
						"(`go func() { ch <- e }()`) and returned. Nothing orders those goroutines, so events can " +
						"arrive out of order, and a slow watcher piles up blocked goroutines. Copy the watchers " +
						"under the lock, Unlock, then send in Publish itself",
					Hint: 6,
				})
				return
			default:
			}
			t.Error(katatest.Failure{
				Want:  fmt.Sprintf("Publish waits until the watcher has received event %d", i),
				Got:   "Publish returned and the watcher never got it",
				Means: "an event was dropped: a send in a select with a default case gives up when the watcher is busy. Every watcher gets every event",
				Hint:  6,
			})
			return
		}
		handle(i)
		got := <-ch
		assert.Equal(t, want, got, katatest.Means(fmt.Sprintf("event %d reaches the watcher in publish order", i), 6))
	}
	<-published
}

func isClosed(ch <-chan struct{}) bool {
	select {
	case <-ch:
		return true
	default:
		return false
	}
}

// publishEvents is the publisher of watchSlowly; the tests find it by name
// on the goroutine stacks.
func publishEvents(f *Feed, events []Event, done chan<- struct{}) {
	defer close(done)
	for _, e := range events {
		f.Publish(e)
	}
}
