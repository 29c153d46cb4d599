package glossary

import (
	"context"
	"errors"
	"time"
)

// importTurns lets one import at a time read its file and store its rows
// in this process: each may hold about 130 MB (the rows of MaxImportBytes
// of CSV, or of MaxDefinitionsTotal of definitions), and imports are rare
// enough for a second to wait.
var importTurns = make(chan struct{}, 1)

// ImportWait is how long an import waits for the one before it; past it,
// it is refused with ErrBusy and may be sent again.
var ImportWait = 20 * time.Second

// ErrBusy refuses an import that waited ImportWait for another to finish;
// the doors answer 503 with Retry-After, and nothing was imported.
var ErrBusy = errors.New("another glossary import is running; send the file again when it has finished")

// TakeImportTurn waits for this import's turn, before its file is read,
// and returns the function that ends it. It gives up with ErrBusy after
// ImportWait, and with ctx's error when the client goes.
func TakeImportTurn(ctx context.Context) (release func(), err error) {
	wait := time.NewTimer(ImportWait)
	defer wait.Stop()
	select {
	case importTurns <- struct{}{}:
		return func() { <-importTurns }, nil
	case <-wait.C:
		return nil, ErrBusy
	case <-ctx.Done():
		return nil, ctx.Err()
	}
}
