// The heap measured here is the memory budget's ground truth, and the
// race detector only slows it (three 10-megapixel decodes with the
// collector running at every step took over a minute under it, most of
// the package's race-checked time); it has no goroutines to watch. So
// it is built without -race, and scripts/test runs it on its own beside
// the race-checked tests.

//go:build !race

package media

import (
	"bytes"
	"compress/zlib"
	"encoding/binary"
	"hash/crc32"
	"runtime"
	"runtime/debug"
	"runtime/metrics"
	"testing"
	"time"
)

// realPNG is a real w×h RGBA PNG of the given bit depth, a gradient that
// compresses well.
func realPNG(w, h, depth int) []byte {
	chunk := func(out *bytes.Buffer, typ string, data []byte) {
		_ = binary.Write(out, binary.BigEndian, uint32(len(data)))
		out.WriteString(typ)
		out.Write(data)
		_ = binary.Write(out, binary.BigEndian, crc32.ChecksumIEEE(append([]byte(typ), data...)))
	}
	var out bytes.Buffer
	out.WriteString("\x89PNG\r\n\x1a\n")
	ihdr := binary.BigEndian.AppendUint32(binary.BigEndian.AppendUint32(nil, uint32(w)), uint32(h))
	chunk(&out, "IHDR", append(ihdr, byte(depth), 6, 0, 0, 0))
	var idat bytes.Buffer
	zw, _ := zlib.NewWriterLevel(&idat, zlib.BestSpeed)
	row := make([]byte, 1+w*4*depth/8)
	for y := range h {
		v := byte(y * 255 / h)
		for i := 1; i < len(row); i++ {
			row[i] = v
		}
		_, _ = zw.Write(row)
	}
	_ = zw.Close()
	chunk(&out, "IDAT", idat.Bytes())
	chunk(&out, "IEND", nil)
	return out.Bytes()
}

// The weight of an upload is not below the heap its processing holds,
// sampled every 200 µs.
// Sampling can miss a peak but never invent one, so a weight under the
// sample is a weight too low.
func TestWeight_isNotBelowTheMeasuredHeap(t *testing.T) {
	defer debug.SetGCPercent(debug.SetGCPercent(400))
	defer debug.SetMemoryLimit(debug.SetMemoryLimit(160 << 20))
	for _, c := range []struct{ w, h, depth int }{{3839, 3839, 8}, {4000, 2700, 8}, {2600, 1900, 16}} {
		data := realPNG(c.w, c.h, c.depth)
		up, err := inspect(data, Limits{}.withDefaults())
		if err != nil {
			t.Fatal(err)
		}
		runtime.GC()
		s := []metrics.Sample{{Name: "/memory/classes/heap/objects:bytes"}}
		metrics.Read(s)
		base := s[0].Value.Uint64()
		// A soft limit at the live heap makes the GC collect as it goes,
		// so what is sampled is what the work holds, not garbage that
		// the GC would collect as soon as memory got short.
		debug.SetMemoryLimit(int64(base))
		var peak uint64
		stop, done := make(chan bool), make(chan bool)
		go func() {
			defer close(done)
			for {
				select {
				case <-stop:
					return
				default:
				}
				metrics.Read(s)
				peak = max(peak, s[0].Value.Uint64())
				time.Sleep(200 * time.Microsecond)
			}
		}()
		_, err = up.run()
		close(stop)
		<-done
		if err != nil {
			t.Fatal(err)
		}
		if used := int64(peak - base); used > up.weight+int64(len(data)) {
			t.Errorf("%d×%d at %d bits: weight %d MB, heap grew %d MB", c.w, c.h, c.depth, up.weight>>20, used>>20)
		}
	}
}
