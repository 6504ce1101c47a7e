// Mistake: Gather waits for the sources with a buffer "big enough for anything".
//
// A buffer of 1024 holds every event of every test a learner would write,
// so waiting for the sources first, then closing and ranging, seems to
// work. Fifty sources of a hundred events each fill it: the sources block
// sending, Gather waits for them, and nothing can move. A buffer only
// postpones a missing receiver.
//
// Replaces: gather.go
// Kind: deadlock or hang
// Expect: nobody receives

package channels

import "sync"

func Gather(sources ...Source) []string {
	events := make(chan string, 1024) // room for any burst
	var wg sync.WaitGroup
	for _, src := range sources {
		wg.Go(func() { src(events) })
	}
	// Nobody who sends can close: the others may still send. The receiver
	// must not either. A goroutine of its own closes once every sender
	// has returned, and that close ends the range below.
	wg.Wait()
	close(events)
	var got []string
	for e := range events {
		got = append(got, e)
	}
	return got
}
