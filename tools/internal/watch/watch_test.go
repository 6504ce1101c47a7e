package watch

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"testing/synctest"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.uber.org/goleak"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

func goFiles(name string) bool { return strings.HasSuffix(name, ".go") }

func write(t *testing.T, path, text string) {
	t.Helper()
	require.NoError(t, os.WriteFile(path, []byte(text), 0o644))
}

// saveByRename saves the way many editors do: write a temporary file, then
// rename it over the original.
func saveByRename(t *testing.T, path, text string) {
	t.Helper()
	tmp := path + ".swp"
	write(t, tmp, text)
	require.NoError(t, os.Rename(tmp, path))
}

// TestDebounceInFakeTime checks, in a synctest bubble with polling, exactly
// when changes are reported: once per save, once per burst, never for the
// same content or for files that do not match.
func TestDebounceInFakeTime(t *testing.T) {
	dir := t.TempDir()
	file := filepath.Join(dir, "counter.go")
	write(t, file, "package counter\n")
	synctest.Test(t, func(t *testing.T) {
		var reported atomic.Int32
		ctx, cancel := context.WithCancel(context.Background())
		done := make(chan error)
		go func() {
			done <- Watch(ctx, dir, Options{Poll: 20 * time.Millisecond, Quiet: 50 * time.Millisecond, Match: goFiles},
				func() { reported.Add(1) })
		}()
		settle := func() {
			time.Sleep(time.Second)
			synctest.Wait()
		}
		expect := func(want int32, after string) {
			t.Helper()
			settle()
			assert.Equal(t, want, reported.Load(), "changes reported after "+after)
		}

		expect(0, "starting")
		write(t, file, "package counter // 1\n")
		expect(1, "writing in place")
		saveByRename(t, file, "package counter // 2\n")
		expect(2, "a save by rename")
		for _, v := range []string{"a", "b", "c", "d", "e"} {
			write(t, file, "package counter // "+v+"\n")
			time.Sleep(10 * time.Millisecond) // a burst: each write within the quiet time of the last
		}
		expect(3, "a burst of writes, reported once")
		write(t, file, "package counter // e\n")
		expect(3, "a write of the same content")
		write(t, filepath.Join(dir, "notes.txt"), "not Go")
		expect(3, "a change to a file that does not match")
		require.NoError(t, os.Remove(file))
		expect(4, "deleting a file")

		cancel()
		assert.NoError(t, <-done)
	})
}

// TestEvents checks with real file-system events that both kinds of save
// are seen, and that Watch stops when asked.
func TestEvents(t *testing.T) {
	dir := t.TempDir()
	file := filepath.Join(dir, "counter.go")
	write(t, file, "package counter\n")
	ctx, cancel := context.WithCancel(context.Background())
	changes := make(chan struct{}, 10)
	done := make(chan error, 1)
	go func() {
		done <- Watch(ctx, dir, Options{Quiet: 20 * time.Millisecond, Match: goFiles}, func() { changes <- struct{}{} })
	}()
	var once sync.Once
	stop := func() {
		once.Do(func() {
			cancel()
			select {
			case err := <-done:
				assert.NoError(t, err)
			case <-time.After(10 * time.Second):
				t.Error("Watch did not return after its context was cancelled")
			}
		})
	}
	t.Cleanup(stop)

	// Keep saving until the watcher, which starts asynchronously, reports.
	expectChange := func(save func(i int)) {
		t.Helper()
		for i := range 100 {
			save(i)
			select {
			case <-changes:
				return
			case <-time.After(100 * time.Millisecond):
			}
		}
		t.Fatal("no change was reported in 10 seconds of saves")
	}
	expectChange(func(i int) { write(t, file, "package counter // in place "+string(rune('a'+i%26))+"\n") })
	time.Sleep(200 * time.Millisecond) // let the last in-place save's report arrive, then drop it
	for len(changes) > 0 {
		<-changes
	}
	expectChange(func(i int) { saveByRename(t, file, "package counter // renamed "+string(rune('a'+i%26))+"\n") })
	stop()
}

func TestMissingDirectory(t *testing.T) {
	err := Watch(context.Background(), filepath.Join(t.TempDir(), "gone"), Options{}, func() {})
	assert.Error(t, err)
}
