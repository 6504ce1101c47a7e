// Package hang locks a mutex twice, which the kit's watchdog reports.
package hang

import "sync"

// Twice never returns.
func Twice() {
	var mu sync.Mutex
	mu.Lock()
	mu.Lock()
}
