package sum

import (
	"testing"

	"course/lessons/internal/kit"
)

func TestSum(t *testing.T) {
	if got := Sum(Input); got != 6 {
		t.Errorf("Sum = %d, want 6: %s", got, kit.Means("an element was skipped"))
	}
}
