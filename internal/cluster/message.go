package cluster

import (
	"encoding/json"

	"broadsheet/internal/cache"
)

// A message is one NOTIFY payload: the sender, so that an instance skips
// its own (it has invalidated already), and the keys.
type message struct {
	From string   `json:"from"`
	Keys []string `json:"keys"`
}

const (
	// maxPayload bounds a payload in bytes: PostgreSQL refuses one of
	// 8000 bytes or more.
	maxPayload = 7999
	// maxMessages bounds the messages one batch of keys is split into;
	// a batch needing more (a change touching thousands of pages) is sent
	// as cache.KeyAll instead, which says the same more cheaply.
	maxMessages = 8
	// maxPending bounds the keys waiting to be sent, while the database
	// does not answer: beyond it they are replaced by cache.KeyAll.
	maxPending = 10_000
)

// payloads encodes keys from the instance from into as few messages as
// fit in maxPayload bytes each, or into one message of cache.KeyAll when
// that would take more than maxMessages (or a single key is too long).
func payloads(from string, keys []string) []string {
	all := []string{encode(from, []string{cache.KeyAll})}
	empty := len(encode(from, nil)) // {"from":"…","keys":null}: at least the size of an empty list
	var out []string
	var batch []string
	size := empty
	for _, k := range keys {
		if k == cache.KeyAll {
			return all
		}
		q, _ := json.Marshal(k)
		n := len(q) + 1 // and a comma
		if empty+n > maxPayload {
			return all
		}
		if size+n > maxPayload {
			out = append(out, encode(from, batch))
			batch, size = nil, empty
		}
		batch = append(batch, k)
		size += n
	}
	if len(batch) > 0 {
		out = append(out, encode(from, batch))
	}
	if len(out) > maxMessages {
		return all
	}
	return out
}

func encode(from string, keys []string) string {
	b, _ := json.Marshal(message{From: from, Keys: keys})
	return string(b)
}
