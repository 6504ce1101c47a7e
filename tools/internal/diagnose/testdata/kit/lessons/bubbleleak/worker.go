// Package bubbleleak starts a worker that never stops.
package bubbleleak

// Start starts a worker that sends one result nobody receives.
func Start() {
	results := make(chan int)
	go func() { results <- 42 }()
}
