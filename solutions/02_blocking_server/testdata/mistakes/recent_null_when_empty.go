// Mistake: /stats with no views yet answers "recent": null.
//
// recentLocked builds the copy with `var out []string` and append, so an empty
// shop encodes Recent as JSON null, not []. A JavaScript client doing
// stats.recent.length throws. The starter's own placeholder returns
// []string{}; no test asks /stats before the first view. Low severity, class A
// (empty input).
//
// Replaces: shop.go
// Kind: test failed
// Expect: recent is [] not null

package blockingserver

func (s *Shop) recentLocked() []string {
	var out []string
	for i := len(s.recent) - 1; i >= 0; i-- {
		out = append(out, s.recent[i])
	}
	return out

}
