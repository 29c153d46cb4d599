package web

import (
	"errors"
	"fmt"
	"strings"
)

// badCursorError is an ?after= value that is not a page cursor. It is a
// type, not a message, so the error page can say so in the reader's
// language rather than in the log's.
type badCursorError struct{ value string }

func (e badCursorError) Error() string {
	return fmt.Sprintf("%s: %q is not a page cursor", errBadRequest, e.value)
}

func (e badCursorError) Unwrap() error { return errBadRequest }

// badRequestDetail is what the error page says is malformed, in the
// page's language where the error is one the catalogue knows.
func badRequestDetail(l locale, err error) string {
	var bc badCursorError
	if errors.As(err, &bc) {
		return l.T("bad_request_cursor", "Value", bc.value)
	}
	return strings.TrimPrefix(err.Error(), errBadRequest.Error()+": ")
}
