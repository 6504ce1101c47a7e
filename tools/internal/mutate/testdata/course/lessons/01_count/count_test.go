package count

import (
	"sync"
	"testing"

	"course/lessons/internal/kit"
)

func TestInc(t *testing.T) {
	var c Counter
	var wg sync.WaitGroup
	for range 2 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for range 100 {
				c.Inc()
			}
		}()
	}
	wg.Wait()
	if got := c.Value(); got != 200 {
		t.Errorf("Value = %d, want 200: %s", got, kit.Means("an increment was lost"))
	}
}

func TestBelow(t *testing.T) {
	var c Counter
	if c.Below(0) {
		t.Errorf("a zero Counter is below 0: %s", kit.Means("the boundary is off by one"))
	}
	if !c.Below(1) {
		t.Errorf("a zero Counter is not below 1")
	}
}
