package ops

import (
	"context"
	"time"
)

func Forward(ctx context.Context, in <-chan int, done <-chan struct{}) <-chan int {
	out := make(chan int)
	go func() {
		defer close(out)
		for v := range in {
			select {
			case out <- v:
			case <-done:
				return
			case <-ctx.Done():
				return
			}
		}
	}()
	return out
}

func Call(ctx context.Context, f func(context.Context) error) error {
	ctx, cancel := context.WithTimeout(ctx, time.Second)
	defer cancel()
	t := time.NewTimer(time.Second)
	defer t.Stop()
	results := make(chan error, 1)
	go func() { results <- f(ctx) }()
	if err := ctx.Err(); err != nil {
		return err
	}
	for ctx.Err() == nil {
		if err := <-results; err != nil {
			return err
		}
	}
	return nil
}

func Loop(n int) int {
	total := 0
	defer func() { total = 0 }()
	for i := 0; i < n; i++ {
		if i >= 10 {
			go func() {}()
		}
		total += i
	}
	return total
}
