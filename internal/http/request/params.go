package request

import (
	"net/http"
	"strconv"
)

// PathInt64 reads a positive integer path value; ok is false when it is
// missing, malformed or not positive.
func PathInt64(r *http.Request, name string) (int64, bool) {
	v, err := strconv.ParseInt(r.PathValue(name), 10, 64)
	if err != nil || v <= 0 {
		return 0, false
	}
	return v, true
}
