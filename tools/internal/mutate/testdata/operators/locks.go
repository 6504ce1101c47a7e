package ops

import "sync"

type Store struct {
	mu   sync.RWMutex
	a, b sync.Mutex
	m    map[string]int
}

func (s *Store) Put(k string, v int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	old := s.m[k]
	s.m[k] = old + v
}

func (s *Store) Get(k string) (int, bool) {
	s.mu.RLock()
	v, ok := s.m[k]
	if !ok {
		s.mu.RUnlock()
		return 0, false
	}
	s.mu.RUnlock()
	return v, true
}

func (s *Store) Move() {
	s.a.Lock()
	s.b.Lock()
	s.m["x"]++
	s.m["y"]--
	s.b.Unlock()
	s.a.Unlock()
}
