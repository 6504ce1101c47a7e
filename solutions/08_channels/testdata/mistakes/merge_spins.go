// Mistake: Merge keeps selecting a closed input (a busy loop).
//
// The code checks ok and forwards no zero values, so every test that only
// compares events passes. But a closed channel is always ready, and select
// picks among ready cases at random, so once one input is closed the loop
// spins: it receives from the closed input again and again, burning a CPU,
// until the other input closes too. In a synctest bubble the fake clock
// never moves while a goroutine spins, so the test hangs until the watchdog.
//
// Replaces: merge.go
// Kind: deadlock or hang
// Expect: deadlock or hang:
// Expect: read Hint 4

package channels

// Merge forwards every event from a and b until both are closed.
func Merge(done <-chan struct{}, a, b <-chan string) <-chan string {
	out := make(chan string)
	go func() {
		defer close(out)
		aOpen, bOpen := true, true
		for aOpen || bOpen {
			var e string
			var ok bool
			select {
			case e, ok = <-a:
				if !ok {
					aOpen = false
					continue
				}
			case e, ok = <-b:
				if !ok {
					bOpen = false
					continue
				}
			case <-done:
				return
			}
			select {
			case out <- e:
			case <-done:
				return
			}
		}
	}()
	return out
}
