package blockingserver

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"reflect"
	"runtime"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/gokatas/concurrency/lessons/internal/katatest"
)

// These tests run outside synctest bubbles, on purpose. The bug this lesson
// is about is a goroutine that waits for a sync.Mutex while another holds it
// across slow I/O, and inside a bubble such a wait is not durably blocked:
// the fake clock would stop instead of showing the delay. So the slow I/O is
// a katatest.Barrier instead of a sleep. The barrier fills when the requests
// overlap, as they must; if the handler makes them wait for each other, it
// only opens after its patience, and the test says so.

func TestMain(m *testing.M) { katatest.Main(m) }

// fakeCatalog is the slow backend. Lookups of ids starting with "missing"
// fail with ErrNotFound, of ids starting with "broken" with another error;
// every other id has the product wantProduct(id).
type fakeCatalog struct {
	// during, if set, is called inside every Lookup while the lookup counts
	// as in flight: it stands for the network round trip, and may block.
	during func(id string)

	calls       atomic.Int32 // lookups started
	inFlight    atomic.Int32 // lookups started and not yet returned
	maxInFlight atomic.Int32 // the most lookups ever in flight at once
}

func (c *fakeCatalog) Lookup(ctx context.Context, id string) (Product, error) {
	c.calls.Add(1)
	n := c.inFlight.Add(1)
	defer c.inFlight.Add(-1)
	for m := c.maxInFlight.Load(); n > m && !c.maxInFlight.CompareAndSwap(m, n); m = c.maxInFlight.Load() {
	}
	if c.during != nil {
		c.during(id)
	}
	switch {
	case strings.HasPrefix(id, "missing"):
		return Product{}, fmt.Errorf("catalog: no product %q: %w", id, ErrNotFound)
	case strings.HasPrefix(id, "broken"):
		return Product{}, errors.New("catalog: connection reset by peer")
	}
	return wantProduct(id), nil
}

// wantProduct is the product the fake catalog has for id.
func wantProduct(id string) Product {
	return Product{ID: id, Name: "Product " + strings.ToUpper(id), PriceCents: 100*len(id) + 99}
}

// get sends GET path to h, as one client would, and returns the response.
func get(h http.Handler, path string) *httptest.ResponseRecorder {
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, path, nil))
	return rec
}

// getAll sends GET for every path at once, each from a goroutine of its
// own as an HTTP server does, and returns the responses in path order.
func getAll(h http.Handler, paths []string) []*httptest.ResponseRecorder {
	recs := make([]*httptest.ResponseRecorder, len(paths))
	var wg sync.WaitGroup
	for i, path := range paths {
		wg.Go(func() { recs[i] = get(h, path) })
	}
	wg.Wait()
	return recs
}

// productProblem says what is wrong with rec as the answer to
// GET /products/id, or returns "" if it is right.
func productProblem(rec *httptest.ResponseRecorder, id string) string {
	if rec.Code != http.StatusOK {
		return fmt.Sprintf("GET /products/%s: status %d, body %q", id, rec.Code, strings.TrimSpace(rec.Body.String()))
	}
	var p Product
	if err := json.Unmarshal(rec.Body.Bytes(), &p); err != nil {
		return fmt.Sprintf("GET /products/%s: body %q is not a Product in JSON: %v", id, rec.Body.String(), err)
	}
	if p != wantProduct(id) {
		return fmt.Sprintf("GET /products/%s: got %+v, want %+v", id, p, wantProduct(id))
	}
	return ""
}

// requireProducts fails the test at the first response that is not the
// product asked for.
func requireProducts(t *testing.T, recs []*httptest.ResponseRecorder, ids []string) {
	t.Helper()
	for i, rec := range recs {
		if problem := productProblem(rec, ids[i]); problem != "" {
			t.Fatal(katatest.Failure{
				Want:  "status 200 and the catalog's product as JSON, for every GET /products/{id}",
				Got:   problem,
				Means: "the product handler must answer with what the catalog returned",
				Hint:  6,
			})
		}
	}
}

// requireCalls fails the test unless the catalog was asked once per request.
func requireCalls(t *testing.T, cat *fakeCatalog, want int) {
	t.Helper()
	if got := int(cat.calls.Load()); got != want {
		t.Fatal(katatest.Failure{
			Want:  fmt.Sprintf("%d catalog lookups, one per GET /products/{id}", want),
			Got:   fmt.Sprint(got),
			Means: "every product request asks the catalog itself; this lesson has no cache and no sharing of lookups",
			Hint:  6,
		})
	}
}

// requireViews fails the test at the first product whose view count is not
// what the test's own bookkeeping says.
func requireViews(t *testing.T, shop *Shop, want map[string]int) {
	t.Helper()
	ids := slices.Sorted(func(yield func(string) bool) {
		for id := range want {
			if !yield(id) {
				return
			}
		}
	})
	for _, id := range ids {
		got := shop.Views(id)
		if got == want[id] {
			continue
		}
		f := katatest.Failure{
			Want: fmt.Sprintf("Views(%q) is %d after %d successful GET /products/%s", id, want[id], want[id], id),
			Got:  fmt.Sprint(got),
			Hint: 3,
		}
		switch {
		case got == 0:
			f.Means = "no view was counted: each 200 answer to GET /products/{id} counts one view, and Views reads the count with the lock held"
		case got < want[id]:
			f.Means = "views were lost: two requests updated the count at the same time and one overwrote the other. " +
				"The state was updated outside the lock (go test -race shows the data race)"
		default:
			f.Means = "more views than successful requests were counted"
		}
		t.Fatal(f)
	}
}

// Task 1: lookups of different products overlap.
func TestProduct_LookupsOverlap(t *testing.T) {
	katatest.Watchdog(t, 1)
	const n = 8
	b := katatest.NewBarrier(n) // opens when all n lookups are in flight at once
	cat := &fakeCatalog{during: func(string) { b.Wait() }}
	shop := NewShop(cat)

	ids := make([]string, n)
	paths := make([]string, n)
	for i := range ids {
		ids[i] = fmt.Sprintf("p%d", i)
		paths[i] = "/products/" + ids[i]
	}
	recs := getAll(shop, paths)

	requireProducts(t, recs, ids)
	requireCalls(t, cat, n)
	if !b.Filled() {
		t.Error(katatest.Failure{
			Want: "the 8 catalog lookups of 8 shoppers asking for 8 different products are in flight at the same time",
			Got:  fmt.Sprintf("at most %d of the 8 lookups was in flight at once", cat.maxInFlight.Load()),
			Means: "I/O under the lock: requests waited for each other. Each shopper's lookup waited for the lookups before it, " +
				"so with a 100ms catalog the eighth shopper would wait 800ms instead of 100ms. Call the catalog with no lock held",
			Hint: 1,
		})
	}
}

// Task 1: lookups of the same product overlap too.
func TestProduct_SameProductLookupsOverlap(t *testing.T) {
	katatest.Watchdog(t, 1)
	const n = 8
	b := katatest.NewBarrier(n)
	cat := &fakeCatalog{during: func(string) { b.Wait() }}
	shop := NewShop(cat)

	ids := make([]string, n)
	paths := make([]string, n)
	for i := range ids {
		ids[i] = "hot"
		paths[i] = "/products/hot"
	}
	recs := getAll(shop, paths)

	requireProducts(t, recs, ids)
	requireCalls(t, cat, n)
	if !b.Filled() {
		t.Error(katatest.Failure{
			Want: "the 8 catalog lookups of 8 shoppers asking for the same product are in flight at the same time",
			Got:  fmt.Sprintf("at most %d of the 8 lookups was in flight at once", cat.maxInFlight.Load()),
			Means: "I/O under the lock: requests waited for each other. A lock per product held across the lookup does this too: " +
				"on a flash sale every shopper of the popular product waits in one line. Call the catalog with no lock held",
			Hint: 1,
		})
	}
	requireViews(t, shop, map[string]int{"hot": n})
}

// Task 1: /stats never waits for a product lookup.
func TestStats_AnswersDuringLookup(t *testing.T) {
	katatest.Watchdog(t, 2)
	b := katatest.NewBarrier(2) // the lookup, and the test once /stats has answered
	entered := make(chan struct{})
	announce := sync.OnceFunc(func() { close(entered) })
	cat := &fakeCatalog{during: func(string) { announce(); b.Wait() }}
	shop := NewShop(cat)

	var product *httptest.ResponseRecorder
	done := make(chan struct{})
	go func() {
		defer close(done)
		product = get(shop, "/products/p1")
	}()
	select {
	case <-entered: // the lookup is in flight, and stays there until the barrier opens
	case <-done:
		t.Fatal(katatest.Failure{
			Want:  "GET /products/p1 looks p1 up in the catalog",
			Got:   "it answered without a lookup, status " + fmt.Sprint(product.Code),
			Means: "every product request asks the catalog",
			Hint:  6,
		})
	}

	stats := get(shop, "/stats") // must answer while the lookup is in flight
	filled := b.Wait()
	<-done

	requireProducts(t, []*httptest.ResponseRecorder{product}, []string{"p1"})
	assert.Equal(t, http.StatusOK, stats.Code, katatest.Means("GET /stats answers 200", 4))
	if !filled {
		t.Error(katatest.Failure{
			Want: "GET /stats answers while a product lookup is in flight: it has nothing to do with that lookup",
			Got:  "GET /stats only answered after the lookup had returned",
			Means: "GET /stats waited for the lock, and the lock was held across the catalog call: I/O under the lock. " +
				"Locking the whole handler, a global lock per request, does exactly this: the server handles one request at a time",
			Hint: 2,
		})
	}
}

// slowClient is a ResponseWriter for a client on a bad connection: the first
// Write of the body announces itself on entered and then blocks on the
// barrier, which stands for the time the data takes to get through.
type slowClient struct {
	*httptest.ResponseRecorder
	barrier *katatest.Barrier
	once    sync.Once
	entered chan struct{}
}

func newSlowClient(b *katatest.Barrier) *slowClient {
	return &slowClient{ResponseRecorder: httptest.NewRecorder(), barrier: b, entered: make(chan struct{})}
}

func (c *slowClient) Write(p []byte) (int, error) {
	first := false
	c.once.Do(func() { first = true })
	if first {
		close(c.entered)
		c.barrier.Wait()
	}
	return c.ResponseRecorder.Write(p)
}

// whileWriting starts GET path with a slow client, waits until the handler
// is writing the response, runs other, lets the write finish, and reports
// whether other finished while the write was still in progress.
func whileWriting(t *testing.T, shop *Shop, path string, other func()) (slow *slowClient, overlapped bool) {
	t.Helper()
	b := katatest.NewBarrier(2) // the slow write, and the test once other has finished
	slow = newSlowClient(b)
	done := make(chan struct{})
	go func() {
		defer close(done)
		shop.ServeHTTP(slow, httptest.NewRequest(http.MethodGet, path, nil))
	}()
	select {
	case <-slow.entered:
	case <-done:
		t.Fatalf("GET %s answered without writing a body: status %d", path, slow.Code)
	}
	other()
	overlapped = b.Wait()
	<-done
	return slow, overlapped
}

// Task 3: a slow client of a product page delays nobody else.
func TestProduct_SlowClientBlocksNobody(t *testing.T) {
	katatest.Watchdog(t, 5)
	shop := NewShop(&fakeCatalog{})

	var other *httptest.ResponseRecorder
	slow, overlapped := whileWriting(t, shop, "/products/p1", func() {
		other = get(shop, "/products/p2") // a second shopper, on a good connection
	})

	requireProducts(t, []*httptest.ResponseRecorder{slow.ResponseRecorder, other}, []string{"p1", "p2"})
	if !overlapped {
		t.Error(katatest.Failure{
			Want: "a second shopper gets GET /products/p2 answered while the first one's response is still being written",
			Got:  "the second shopper was only answered after the slow client had received its response",
			Means: "the lock was held while writing the response: writing to a client is I/O, and a slow client blocks every request. " +
				"A global lock per request does this, and so does a defer mu.Unlock() that runs after the response is written",
			Hint: 5,
		})
	}
	requireViews(t, shop, map[string]int{"p1": 1, "p2": 1})
}

// Task 3: a slow client of /stats delays nobody else.
func TestStats_SlowClientBlocksNobody(t *testing.T) {
	katatest.Watchdog(t, 5)
	shop := NewShop(&fakeCatalog{})
	requireProducts(t, []*httptest.ResponseRecorder{get(shop, "/products/p1")}, []string{"p1"})

	var other *httptest.ResponseRecorder
	slow, overlapped := whileWriting(t, shop, "/stats", func() {
		other = get(shop, "/products/p2") // a shopper, on a good connection
	})

	requireProducts(t, []*httptest.ResponseRecorder{other}, []string{"p2"})
	if !overlapped {
		t.Error(katatest.Failure{
			Want: "a shopper gets GET /products/p2 answered while a slow client is still receiving GET /stats",
			Got:  "the shopper was only answered after the slow client had received its stats",
			Means: "the lock was held while writing the response: writing to a client is I/O, and a slow client blocks every request. " +
				"A global lock per request does this, and so does encoding the state while holding the lock. Copy, unlock, then write",
			Hint: 5,
		})
	}
	var st Stats
	require.NoError(t, json.Unmarshal(slow.Body.Bytes(), &st), katatest.Means("GET /stats answers Stats as JSON", 4))
	assert.Equal(t, map[string]int{"p1": 1}, st.Views,
		katatest.Means("the slow client gets the views counted before its request: the one view of p1", 4))
}

// Task 2: many shoppers at once, every view counted.
func TestProduct_CountsEveryView(t *testing.T) {
	katatest.Watchdog(t, 3)
	const hot, others = 12, 12
	// Every lookup returns at the same instant, so every request updates the
	// shared state at the same time as the others.
	b := katatest.NewBarrier(hot + others)
	cat := &fakeCatalog{during: func(string) { b.Wait() }}
	shop := NewShop(cat)

	var ids []string
	want := map[string]int{}
	for i := range hot + others {
		id := "hot"
		if i%2 == 1 {
			id = fmt.Sprintf("p%02d", i)
		}
		ids = append(ids, id)
		want[id]++
	}
	paths := make([]string, len(ids))
	for i, id := range ids {
		paths[i] = "/products/" + id
	}
	recs := getAll(shop, paths)

	requireProducts(t, recs, ids)
	requireViews(t, shop, want)

	recent := shop.RecentViews()
	if len(recent) != RecentLimit {
		t.Fatal(katatest.Failure{
			Want:  fmt.Sprintf("RecentViews() has RecentLimit = %d entries after %d views", RecentLimit, len(ids)),
			Got:   fmt.Sprintf("%d entries: %q", len(recent), recent),
			Means: "each view must be recorded as the newest recent view, keeping only the last RecentLimit",
			Hint:  3,
		})
	}
	seen := map[string]bool{}
	for _, id := range recent {
		if want[id] == 0 || (id != "hot" && seen[id]) {
			t.Fatal(katatest.Failure{
				Want:  "RecentViews() lists products that were viewed, each product no more often than it was viewed",
				Got:   fmt.Sprintf("%q", recent),
				Means: "the recent views were corrupted: two requests appended at the same time. Update them only with the lock held",
				Hint:  3,
			})
		}
		seen[id] = true
	}
}

// Task 2: the recent views, newest first, bounded.
func TestProduct_RecordsRecentViews(t *testing.T) {
	katatest.Watchdog(t, 3)
	shop := NewShop(&fakeCatalog{})
	ids := []string{"p1", "p2", "p3", "p1", "p4", "p5", "p6"}
	for _, id := range ids {
		requireProducts(t, []*httptest.ResponseRecorder{get(shop, "/products/"+id)}, []string{id})
	}
	assert.Equal(t, []string{"p6", "p5", "p4", "p1", "p3"}, shop.RecentViews(),
		katatest.Means("after viewing p1 p2 p3 p1 p4 p5 p6, the last RecentLimit = 5 views, newest first, are p6 p5 p4 p1 p3", 3))
	requireViews(t, shop, map[string]int{"p1": 2, "p2": 1, "p3": 1, "p4": 1, "p5": 1, "p6": 1})
}

// Task 2: only a product that was found counts as a view.
func TestProduct_FailedLookupIsNotAView(t *testing.T) {
	katatest.Watchdog(t, 3)
	shop := NewShop(&fakeCatalog{})

	missing := get(shop, "/products/missing-1")
	assert.Equal(t, http.StatusNotFound, missing.Code,
		katatest.Means("a lookup that fails with ErrNotFound (wrapped) answers 404 Not Found", 6))
	broken := get(shop, "/products/broken-1")
	assert.Equal(t, http.StatusBadGateway, broken.Code,
		katatest.Means("a lookup that fails with another error answers 502 Bad Gateway", 6))

	requireProducts(t, []*httptest.ResponseRecorder{get(shop, "/products/p1")}, []string{"p1"})
	requireViews(t, shop, map[string]int{"p1": 1})
	for _, id := range []string{"missing-1", "broken-1"} {
		if got := shop.Views(id); got != 0 {
			t.Error(katatest.Failure{
				Want:  fmt.Sprintf("Views(%q) is 0: its lookup failed", id),
				Got:   fmt.Sprint(got),
				Means: "a failed lookup was counted as a view: count the view after the catalog found the product, not before asking",
				Hint:  3,
			})
		}
	}
	assert.Equal(t, []string{"p1"}, shop.RecentViews(),
		katatest.Means("a failed lookup was counted as a view: only products the catalog found are recent views", 3))
}

// Task 2: GET /stats reports the state.
func TestStats_ReportsViews(t *testing.T) {
	katatest.Watchdog(t, 4)
	shop := NewShop(&fakeCatalog{})
	for _, id := range []string{"p1", "p2", "p1", "missing-1", "p3", "p1", "p4", "p5"} {
		get(shop, "/products/"+id)
	}
	rec := get(shop, "/stats")
	require.Equal(t, http.StatusOK, rec.Code, katatest.Means("GET /stats answers 200", 4))
	var st Stats
	require.NoError(t, json.Unmarshal(rec.Body.Bytes(), &st), katatest.Means("GET /stats answers Stats as JSON", 4))
	assert.Equal(t, map[string]int{"p1": 3, "p2": 1, "p3": 1, "p4": 1, "p5": 1}, st.Views,
		katatest.Means("Stats.Views has the successful views per product", 4))
	assert.Equal(t, []string{"p5", "p4", "p1", "p3", "p1"}, st.Recent,
		katatest.Means("Stats.Recent has the last RecentLimit views, newest first", 4))
}

// Task 2: RecentViews hands out a copy.
func TestRecentViews_ReturnsACopy(t *testing.T) {
	katatest.Watchdog(t, 4)
	shop := NewShop(&fakeCatalog{})
	for _, id := range []string{"p1", "p2", "p3"} {
		get(shop, "/products/"+id)
	}
	got := shop.RecentViews()
	require.Equal(t, []string{"p3", "p2", "p1"}, got, katatest.Means("RecentViews lists the views, newest first", 3))
	got[0] = "scribbled"
	if again := shop.RecentViews(); len(again) == 0 || again[0] != "p3" {
		t.Error(katatest.Failure{
			Want: `RecentViews() still starts with "p3" after the caller changed its own copy`,
			Got:  fmt.Sprintf("%q", again),
			Means: "RecentViews returned the shop's own slice, not a copy: the caller can change the shop's state, " +
				"and reads it after the lock is released, which is a data race with the next request",
			Hint: 4,
		})
	}
}

// Task 2: reading the state while shoppers update it.
func TestStats_ReadsWhileShoppersBuy(t *testing.T) {
	katatest.Watchdog(t, 4)
	const rounds = 9
	// In round r, shopper r's lookup returns at the moment the test reads the
	// state (GET /stats, Views or RecentViews, in turn), so the shopper's
	// update and the test's read run at the same time. The test arrives at
	// the barrier last, and the shopper pauses a moment before its update,
	// so the read usually comes first, which is the order in which a read
	// made after Unlock goes unprotected. Under -race, every read or write of
	// the state that the lock does not order is reported.
	barriers := map[string]*katatest.Barrier{}
	entered := map[string]chan struct{}{}
	for r := range rounds {
		id := fmt.Sprintf("p%d", r)
		barriers[id] = katatest.NewBarrier(2)
		entered[id] = make(chan struct{})
	}
	cat := &fakeCatalog{during: func(id string) {
		close(entered[id])
		barriers[id].Wait()
		time.Sleep(time.Millisecond) // a nudge, not a measurement: nothing asserts on time
	}}
	shop := NewShop(cat)

	for r := range rounds {
		id := fmt.Sprintf("p%d", r)
		var product *httptest.ResponseRecorder
		done := make(chan struct{})
		go func() {
			defer close(done)
			product = get(shop, "/products/"+id)
		}()
		<-entered[id]
		req := httptest.NewRequest(http.MethodGet, "/stats", nil)
		rec := httptest.NewRecorder()
		var st Stats
		barriers[id].Wait()
		// One read per round: a later call that locks would order this
		// read before the shopper's update and hide a race.
		switch r % 3 {
		case 0:
			shop.ServeHTTP(rec, req)
		case 1:
			st.Views = map[string]int{id: shop.Views(id)}
		case 2:
			st.Recent = slices.Clone(shop.RecentViews())
		}
		<-done

		requireProducts(t, []*httptest.ResponseRecorder{product}, []string{id})
		requireViews(t, shop, map[string]int{id: 1})
		if r%3 != 0 {
			continue
		}
		require.Equal(t, http.StatusOK, rec.Code, katatest.Means("GET /stats answers 200", 4))
		require.NoError(t, json.Unmarshal(rec.Body.Bytes(), &st), katatest.Means("GET /stats answers Stats as JSON", 4))
		total := 0
		for _, n := range st.Views {
			total += n
		}
		if total < r {
			t.Fatal(katatest.Failure{
				Want:  fmt.Sprintf("GET /stats reports at least the %d views counted before it was asked", r),
				Got:   fmt.Sprintf("views %v", st.Views),
				Means: "GET /stats must report the shop's state: copy views and recent with the lock held",
				Hint:  4,
			})
		}
		if total > r+1 || len(st.Recent) != min(total, RecentLimit) {
			t.Fatal(katatest.Failure{
				Want: fmt.Sprintf("a consistent /stats snapshot while shopper %d of %d is being counted: "+
					"%d or %d views in all, and min(views, RecentLimit) recent views", r+1, rounds, r, r+1),
				Got: fmt.Sprintf("views %v with recent %q", st.Views, st.Recent),
				Means: "the snapshot was torn: views and recent were copied, or updated, in separate critical sections, " +
					"or read without the lock. Copy both in one critical section",
				Hint: 4,
			})
		}
	}
	want := map[string]int{}
	for id := range barriers {
		want[id] = 1
	}
	requireViews(t, shop, want)
}

// unlockBetweenWrites finds, in the Go files of dir that are not tests,
// every function that writes the view counts (.views) and the recent views
// (.recent) with an Unlock or RUnlock call between the two writes: the
// update is split into two critical sections. Calls of the package's own
// functions and methods count as their bodies, so two helpers that each lock
// are seen too. A deferred Unlock counts where its function returns. This
// is a source check, as go vet's are: no test can stop a goroutine between
// its Unlock and its next Lock, because the code calls nothing there that a
// test controls.
func unlockBetweenWrites(dir string) ([]string, error) { return unlockBetween(dir, false) }

// unlockBetweenAccesses is unlockBetweenWrites for reads as well as writes:
// a function that reads (or writes) .views and .recent with an Unlock between
// the two takes its look at the state in two critical sections, at two
// instants, as a /stats built from two getters that each lock does.
func unlockBetweenAccesses(dir string) ([]string, error) { return unlockBetween(dir, true) }

func unlockBetween(dir string, reads bool) ([]string, error) {
	files, err := filepath.Glob(filepath.Join(dir, "*.go"))
	if err != nil {
		return nil, err
	}
	// field reports whether e is x.name, or an element of it.
	field := func(e ast.Expr, name string) bool {
		for {
			switch x := e.(type) {
			case *ast.IndexExpr:
				e = x.X
			case *ast.ParenExpr:
				e = x.X
			case *ast.SelectorExpr:
				return x.Sel.Name == name
			default:
				return false
			}
		}
	}
	type event struct {
		what string // "views", "recent" or "unlock"
		pos  token.Pos
	}
	fset := token.NewFileSet()
	funcs := map[string]*ast.FuncDecl{} // by name; methods and functions alike
	var order []*ast.FuncDecl
	for _, file := range files {
		if strings.HasSuffix(file, "_test.go") {
			continue
		}
		f, err := parser.ParseFile(fset, file, nil, 0)
		if err != nil {
			return nil, err
		}
		for _, decl := range f.Decls {
			if fn, ok := decl.(*ast.FuncDecl); ok && fn.Body != nil {
				funcs[fn.Name.Name] = fn
				order = append(order, fn)
			}
		}
	}
	// walk appends the events of body to events, in source order, going
	// into calls of the package's own functions (once per call chain), with
	// the deferred unlocks of body last.
	var walk func(body ast.Node, inside map[string]bool, events *[]event)
	walk = func(body ast.Node, inside map[string]bool, events *[]event) {
		write := func(e ast.Expr) {
			for _, name := range []string{"views", "recent"} {
				if field(e, name) {
					*events = append(*events, event{name, e.Pos()})
				}
			}
		}
		var deferred []event // deferred unlocks run when body returns
		ast.Inspect(body, func(n ast.Node) bool {
			switch n := n.(type) {
			case *ast.SelectorExpr:
				if reads {
					write(n)
				}
			case *ast.DeferStmt:
				if sel, ok := n.Call.Fun.(*ast.SelectorExpr); ok && (sel.Sel.Name == "Unlock" || sel.Sel.Name == "RUnlock") {
					deferred = append(deferred, event{"unlock", n.Pos()})
				}
				return false
			case *ast.IncDecStmt:
				if !reads {
					write(n.X)
				}
			case *ast.AssignStmt:
				for _, lhs := range n.Lhs {
					if !reads {
						write(lhs)
					}
				}
			case *ast.CallExpr:
				var name string
				switch fun := n.Fun.(type) {
				case *ast.SelectorExpr:
					name = fun.Sel.Name
				case *ast.Ident:
					name = fun.Name
				}
				if name == "Unlock" || name == "RUnlock" {
					*events = append(*events, event{"unlock", n.Pos()})
					return true
				}
				if callee, ok := funcs[name]; ok && !inside[name] {
					for _, arg := range n.Args {
						walk(arg, inside, events)
					}
					inside[name] = true
					walk(callee.Body, inside, events)
					delete(inside, name)
					return false
				}
			}
			return true
		})
		for i := len(deferred) - 1; i >= 0; i-- {
			*events = append(*events, deferred[i])
		}
	}
	var places []string
	for _, fn := range order {
		var events []event
		walk(fn.Body, map[string]bool{fn.Name.Name: true}, &events)
		// A write of one field, then an unlock, then a write of the other,
		// however many writes of either come before or after the unlock
		// (views++, trim recent, Unlock, Lock, append to recent is split too).
		seen := map[string]*event{}          // the latest write of each field
		unlockedSince := map[string]*event{} // an unlock after that write
		for i := range events {
			ev := &events[i]
			if ev.what == "unlock" {
				for name := range seen {
					if unlockedSince[name] == nil {
						unlockedSince[name] = ev
					}
				}
				continue
			}
			for _, other := range []string{"views", "recent"} {
				if other == ev.what || seen[other] == nil || unlockedSince[other] == nil {
					continue
				}
				places = append(places, fmt.Sprintf("%s: %s written at line %d, Unlock at line %d, %s written at line %d",
					fn.Name.Name, other, fset.Position(seen[other].pos).Line, fset.Position(unlockedSince[other].pos).Line,
					ev.what, fset.Position(ev.pos).Line))
				unlockedSince[other] = nil // one report per split
			}
			seen[ev.what], unlockedSince[ev.what] = ev, nil
		}
	}
	return places, nil
}

// Task 2: one view is one update of the state, in one critical section.
func TestProduct_RecordsAViewInOneCriticalSection(t *testing.T) {
	katatest.Watchdog(t, 4)
	places, err := unlockBetweenWrites(".")
	require.NoError(t, err)
	if len(places) > 0 {
		t.Error(katatest.Failure{
			Want: "the view count and the recent view of one request are written in one critical section",
			Got:  "s.mu is unlocked between the two writes, in " + places[0],
			Means: "two critical sections: a GET /stats that takes the lock between them sees the count without " +
				"its recent view, a torn snapshot that breaks len(Recent) == min(total views, RecentLimit). " +
				"Each section is safe alone; the pair is not. Do both writes under one Lock",
			Hint: 4,
		})
	}
}

// Task 2: a /stats snapshot is taken in one critical section.
func TestStats_SnapshotInOneCriticalSection(t *testing.T) {
	katatest.Watchdog(t, 4)
	writes, err := unlockBetweenWrites(".")
	require.NoError(t, err)
	all, err := unlockBetweenAccesses(".")
	require.NoError(t, err)
	split := map[string]bool{} // functions whose writes are split already
	for _, place := range writes {
		fn, _, _ := strings.Cut(place, ":")
		split[fn] = true
	}
	for _, place := range all {
		if fn, _, _ := strings.Cut(place, ":"); split[fn] {
			continue // TestProduct_RecordsAViewInOneCriticalSection names it
		}
		t.Error(katatest.Failure{
			Want: "GET /stats copies views and recent in one critical section, so the snapshot is from one instant",
			Got:  "s.mu is unlocked between the two reads, in " + place,
			Means: "a snapshot taken at two instants is torn: a view recorded between the two copies is in one and not " +
				"the other, and len(Recent) == min(total views, RecentLimit) breaks. Two getters that each lock do this. " +
				"Copy both under one Lock",
			Hint: 4,
		})
		return
	}
}

// Task 2: /stats before any view.
func TestStats_BeforeAnyView(t *testing.T) {
	katatest.Watchdog(t, 4)
	rec := get(NewShop(&fakeCatalog{}), "/stats")
	require.Equal(t, http.StatusOK, rec.Code, katatest.Means("GET /stats answers 200", 4))
	var raw map[string]json.RawMessage
	require.NoError(t, json.Unmarshal(rec.Body.Bytes(), &raw), katatest.Means("GET /stats answers Stats as JSON", 4))
	for field, want := range map[string]string{"views": "{}", "recent": "[]"} {
		if got := strings.TrimSpace(string(raw[field])); got != want {
			t.Error(katatest.Failure{
				Want: fmt.Sprintf(`GET /stats on a new shop answers "%s":%s`, field, want),
				Got:  fmt.Sprintf(`"%s":%s`, field, got),
				Means: fmt.Sprintf("%s is %s not null: a JavaScript client reads stats.%s.length. "+
					"A nil slice or map encodes as null; copy into one made with make", field, want, field),
				Hint: 4,
			})
		}
	}
}

// Task 2: the shop keeps at most RecentLimit recent views, however many it
// has served.
func TestProduct_KeepsAtMostRecentLimit(t *testing.T) {
	katatest.Watchdog(t, 3)
	shop := NewShop(&fakeCatalog{})
	const n = 5000
	for i := range n {
		get(shop, fmt.Sprintf("/products/p%d", i))
	}
	require.Equal(t, []string{"p4999", "p4998", "p4997", "p4996", "p4995"}, shop.RecentViews(),
		katatest.Means("after 5000 views, RecentViews lists the last RecentLimit = 5, newest first", 3))
	// The field is the learner's; its length is read by reflection, so a
	// ring of RecentLimit slots (an array) passes as well as a slice.
	if f := reflect.ValueOf(shop).Elem().FieldByName("recent"); f.IsValid() && f.Kind() == reflect.Slice && f.Len() > RecentLimit {
		t.Error(katatest.Failure{
			Want:  fmt.Sprintf("the shop keeps at most RecentLimit = %d recent views after %d views", RecentLimit, n),
			Got:   fmt.Sprintf("len(s.recent) is %d", f.Len()),
			Means: "at most RecentLimit recent views kept: the shop remembers every view it ever served, a memory leak in a server that runs for months. Drop the oldest when you add one",
			Hint:  3,
		})
	}
}

// ctxCatalog is a catalog whose Lookup waits until its context is done, as
// a real one gives up on a request whose client has hung up.
type ctxCatalog struct {
	fakeCatalog
	cancelled atomic.Bool // a Lookup saw its context done
}

func (c *ctxCatalog) Lookup(ctx context.Context, id string) (Product, error) {
	select {
	case <-ctx.Done():
		c.cancelled.Store(true)
		return Product{}, ctx.Err()
	case <-time.After(2 * time.Second): // real time; bounds a lookup that was never cancelled
		return c.fakeCatalog.Lookup(ctx, id)
	}
}

// Task 1: the lookup gives up when the client has gone.
func TestProduct_LookupStopsWhenTheClientHangsUp(t *testing.T) {
	katatest.Watchdog(t, 6)
	cat := &ctxCatalog{}
	shop := NewShop(cat)
	ctx, cancel := context.WithCancel(context.Background())
	cancel() // the client has hung up
	rec := httptest.NewRecorder()
	shop.ServeHTTP(rec, httptest.NewRequest(http.MethodGet, "/products/p1", nil).WithContext(ctx))
	if !cat.cancelled.Load() {
		t.Error(katatest.Failure{
			Want: "a request whose client has hung up passes its cancelled context to Lookup, which gives up at once",
			Got:  "Lookup ran with a context that was never cancelled",
			Means: "lookup not cancelled when the client hung up: pass r.Context() to Lookup. A detached lookup " +
				"(context.Background()) keeps the catalog busy for clients that have gone",
			Hint: 6,
		})
	}
	assert.Zero(t, shop.Views("p1"), katatest.Means("a lookup that gave up is not a view", 3))
}

// waitBlockedOrDone waits until each of n goroutines has either closed its
// channel in done or is blocked on a lock in the shop's code, and returns
// how many had finished. The shop's lock is held by the test meanwhile.
func waitBlockedOrDone(done []chan struct{}) int {
	for range 2000 {
		finished := 0
		for _, d := range done {
			select {
			case <-d:
				finished++
			default:
			}
		}
		buf := make([]byte, 1<<20)
		dump := string(buf[:runtime.Stack(buf, true)])
		blocked := 0
		for _, g := range strings.Split(dump, "\n\n") {
			if strings.Contains(g, "[sync.") && strings.Contains(g, ".(*Shop).") {
				blocked++
			}
		}
		if finished+blocked >= len(done) {
			return finished
		}
		time.Sleep(time.Millisecond) // real time: a nudge while the goroutines reach the lock
	}
	return -1
}

// Task 2: the shared state is only read and written with mu held. The test
// holds s.mu itself (the field the Shop's doc names) while a shopper's view
// is recorded and while Views, RecentViews and /stats are asked: each must
// wait for it. A TryLock that drops the view, or counts kept outside the
// lock (atomics, a sync.Map), shows here whatever the design.
func TestShop_StateOnlyWithTheLockHeld(t *testing.T) {
	katatest.Watchdog(t, 3)
	shop := NewShop(&fakeCatalog{})
	requireProducts(t, []*httptest.ResponseRecorder{get(shop, "/products/p0")}, []string{"p0"})
	requireViews(t, shop, map[string]int{"p0": 1}) // with nobody else around, a view counts

	names := []string{"GET /products/p1", "Views", "RecentViews", "GET /stats"}
	done := make([]chan struct{}, len(names))
	for i := range done {
		done[i] = make(chan struct{})
	}
	var product, stats *httptest.ResponseRecorder
	shop.mu.Lock()
	go func() { defer close(done[0]); product = get(shop, "/products/p1") }()
	go func() { defer close(done[1]); shop.Views("p1") }()
	go func() { defer close(done[2]); shop.RecentViews() }()
	go func() { defer close(done[3]); stats = get(shop, "/stats") }()
	waitBlockedOrDone(done)
	var early []string
	for i, d := range done {
		select {
		case <-d:
			early = append(early, names[i])
		default:
		}
	}
	shop.mu.Unlock()
	for _, d := range done {
		<-d
	}
	requireProducts(t, []*httptest.ResponseRecorder{product}, []string{"p1"})
	require.Equal(t, http.StatusOK, stats.Code, katatest.Means("GET /stats answers 200", 4))
	if got := shop.Views("p1"); got != 1 {
		t.Fatal(katatest.Failure{
			Want:  `Views("p1") is 1 after one successful GET /products/p1 made while another request held the lock`,
			Got:   fmt.Sprint(got),
			Means: "views lost: a view recorded while the lock was busy was dropped (TryLock?). Every 200 counts one view: wait for the lock",
			Hint:  3,
		})
	}
	if len(early) > 0 {
		t.Error(katatest.Failure{
			Want: "while s.mu is held, a view cannot be recorded and Views, RecentViews and /stats cannot read the state: they wait for s.mu",
			Got:  strings.Join(early, ", ") + " returned while s.mu was held",
			Means: "the shared state was read or written without s.mu: a torn snapshot, counts and recent views " +
				"from different instants (atomics or a sync.Map beside the lock do this). Keep views and recent under s.mu",
			Hint: 4,
		})
	}
}
