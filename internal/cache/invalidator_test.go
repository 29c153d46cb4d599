package cache

import (
	"slices"
	"testing"
)

type recorder struct{ calls [][]string }

func (r *recorder) Invalidate(keys ...string) { r.calls = append(r.calls, keys) }

func TestFanout_passesEveryCallToEachInvalidator(t *testing.T) {
	a, b := &recorder{}, &recorder{}
	f := Fanout{a, b}
	f.Invalidate("a1", KeyNav)
	f.Invalidate(KeyAll)
	for _, r := range []*recorder{a, b} {
		if len(r.calls) != 2 || !slices.Equal(r.calls[0], []string{"a1", KeyNav}) || !slices.Equal(r.calls[1], []string{KeyAll}) {
			t.Errorf("calls = %q, want [a1 nav] then [*]", r.calls)
		}
	}
}
