package comment

import (
	"strings"
	"testing"
)

// BenchmarkNormalizeBody_worst checks the largest bodies the doors let
// reach it: a letter with a mebibyte of accents (the API's request limit),
// refused, and 250 of the widest emoji, accepted.
func BenchmarkNormalizeBody_worst(b *testing.B) {
	for name, in := range map[string]string{
		"1 MiB of accents, refused":  "x" + strings.Repeat("\u0301", 1<<19-1),
		"250 widest emoji, accepted": strings.Repeat("👩🏻\u200d❤️\u200d💋\u200d👨🏼", 250),
	} {
		b.Run(name, func(b *testing.B) {
			b.SetBytes(int64(len(in)))
			b.ReportAllocs()
			for b.Loop() {
				_, _ = NormalizeBody(in, 250)
			}
		})
	}
}
