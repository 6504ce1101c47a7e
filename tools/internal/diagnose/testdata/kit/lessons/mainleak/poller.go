// Package mainleak starts a poller outside any bubble that never stops.
package mainleak

// Poll starts a goroutine that waits forever.
func Poll() {
	go func() { select {} }()
}
