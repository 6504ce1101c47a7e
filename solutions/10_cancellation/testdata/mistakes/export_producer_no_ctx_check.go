// Mistake: the producer does not check ctx before it starts the next Next.
//
// `for { r, err := src.Next(); ...; select { case rows <- r: case <-ctx.Done(): return } }`:
// while the channel has room, the send is ready as well as ctx.Done(),
// select picks one at random, and the producer goes on reading rows after
// the stop; with a context already done it reads one before it looks.
//
// Replaces: export.go
// Kind: test failed
// Expect: started a Next after the stop
// Expect: Export read a row after the stop

package cancellation

import (
	"context"
	"errors"
	"io"
	"sync"
)

func Export(ctx context.Context, src Source, dst Sink) error {
	ctx, cancel := context.WithCancelCause(ctx)
	defer cancel(nil)

	rows := make(chan Row, ExportBuffer)
	var producer sync.WaitGroup
	producer.Go(func() {
		defer close(rows)
		for {

			r, err := src.Next()
			if err != nil {
				if !errors.Is(err, io.EOF) {
					cancel(err)
				}
				return
			}
			select {
			case rows <- r:
			case <-ctx.Done():
				return
			}
		}
	})

	err := consume(ctx, rows, dst)
	cancel(err)
	producer.Wait()
	return err
}
