package ops

import (
	"sync"
	"sync/atomic"
)

var hits int64

type Stats struct {
	n    atomic.Int64
	once sync.Once
	cond *sync.Cond
}

func (s *Stats) Hit() {
	s.n.Add(1)
	atomic.AddInt64(&hits, 1)
}

func (s *Stats) Read() int64 { return atomic.LoadInt64(&hits) + s.n.Load() }

func (s *Stats) Reset() bool {
	atomic.StoreInt64(&hits, 0)
	return s.n.CompareAndSwap(s.n.Load(), 0)
}

func (s *Stats) Init(f func()) {
	s.once.Do(f)
	s.cond.Broadcast()
}

var lazy = sync.OnceValue(func() int { return 1 })

func All(fs []func()) {
	var wg sync.WaitGroup
	for _, f := range fs {
		wg.Go(f)
	}
	wg.Wait()
}

func Each(fs []func()) {
	var wg sync.WaitGroup
	wg.Add(len(fs))
	for _, f := range fs {
		go func() {
			defer wg.Done()
			f()
		}()
	}
	wg.Wait()
}
