package server_test

import (
	"bufio"
	"bytes"
	"compress/zlib"
	"encoding/binary"
	"fmt"
	"hash/crc32"
	"io"
	"net/http"
	"os"
	"runtime"
	"runtime/debug"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"broadsheet/internal/account"
	"broadsheet/internal/store/storetest"
)

// TestWorstCaseMemory measures the peak RSS of a real server (the whole
// site on SQLite, served on 127.0.0.1, the GC tuned as `broadsheet serve`
// tunes it) through the costliest requests: four 6300 × 6300 PNG uploads
// at once, at 16 and at 8 bits per channel, four 3839 × 3839 ones (the
// costliest shape to scale), a CSV of short rows without
// end, and a dictd index pointing 300 times at one 816 KB definition. It
// is a measurement, not a check, and takes a minute or two, so it runs
// only with BROADSHEET_MEMORY_BENCH=1:
//
//	BROADSHEET_MEMORY_BENCH=1 go test -count=1 -v -run TestWorstCaseMemory ./internal/server
//
// Each case resets the kernel's high-water mark (VmHWM) after a GC, so
// its peak is its own, on top of the server's baseline.
func TestWorstCaseMemory(t *testing.T) {
	if os.Getenv("BROADSHEET_MEMORY_BENCH") == "" {
		t.Skip("a measurement; set BROADSHEET_MEMORY_BENCH=1 to run it")
	}
	// As cmd/broadsheet's tuneGC.
	defer debug.SetGCPercent(debug.SetGCPercent(400))
	defer debug.SetMemoryLimit(debug.SetMemoryLimit(160 << 20))

	e := storetest.Engines(t)[0] // SQLite
	ts := staffTestServer(t, e)
	editor := ts.signIn(t, "editor@paper.example")
	png16, png8, square := bigPNG(t, 6300, 6300, 16), bigPNG(t, 6300, 6300, 8), bigPNG(t, 3839, 3839, 8)
	tok := ts.tokens[account.Editor]
	_, repIndex, repDict, _, _ := hostileImports(t)

	uploads := func(data []byte) func() string {
		return func() string {
			var wg sync.WaitGroup
			var mu sync.Mutex
			codes := map[int]int{}
			for i := range 4 {
				id := editor.createArticle(t, articleForm(fmt.Sprintf("Harbour %d", i)))
				wg.Go(func() {
					res, _ := editor.uploadImage(t, id, 1, "scan.png", data, map[string]string{"alt": "A harbour"})
					mu.Lock()
					codes[res.StatusCode]++
					mu.Unlock()
				})
			}
			wg.Wait()
			return fmt.Sprint(codes)
		}
	}
	cases := []struct {
		name string
		run  func() string
	}{
		{"idle (baseline)", func() string { return "" }},
		{"4 × 6300×6300 16-bit PNG at once", uploads(png16)},
		{"4 × 6300×6300 8-bit PNG at once", uploads(png8)},
		{"4 × 3839×3839 8-bit PNG at once", uploads(square)},
		{"CSV of short rows without end (API)", func() string {
			body := io.MultiReader(strings.NewReader("headword,lang,translation,note\n"), &endless{left: 33 << 20, row: "w,ko,낱말,\n"})
			req, _ := http.NewRequest("POST", ts.URL+"/api/v1/glossary/import", body)
			req.Header.Set("Authorization", "Bearer "+tok)
			req.Header.Set("Content-Type", "text/csv")
			res, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			_, _ = io.Copy(io.Discard, res.Body)
			res.Body.Close()
			return strconv.Itoa(res.StatusCode)
		}},
		{"largest CSV accepted: 100,000 rows, 32 MB (API)", func() string {
			var b strings.Builder
			b.WriteString("headword,lang,translation,note\n")
			note := strings.Repeat("n", 290)
			for i := range 100_000 {
				fmt.Fprintf(&b, "w%06d,ko,낱말 %d,%s\n", i, i, note)
			}
			res, _ := ts.do(t, "POST", "/api/v1/glossary/import", tok, b.String(), "Content-Type", "text/csv")
			return fmt.Sprintf("%d (%d MB)", res.StatusCode, b.Len()>>20)
		}},
		{"dictd: 300 lines at one 816 KB definition (API)", func() string {
			mp, ct := multipartBody(t, [2]string{"index", repIndex}, [2]string{"dict", repDict}, [2]string{"lang", "ko"})
			res, _ := ts.do(t, "POST", "/api/v1/glossary/import", tok, mp, "Content-Type", ct)
			return strconv.Itoa(res.StatusCode)
		}},
	}
	var report strings.Builder
	fmt.Fprintf(&report, "\n| case | answers | time | peak RSS | over baseline |\n|---|---|---:|---:|---:|\n")
	var baseline int64
	for _, c := range cases {
		runtime.GC()
		debug.FreeOSMemory()
		if err := os.WriteFile("/proc/self/clear_refs", []byte("5"), 0); err != nil {
			t.Fatalf("cannot reset the high-water mark: %v", err)
		}
		start := time.Now()
		answers := c.run()
		took := time.Since(start)
		peak := procStatusKB(t, "VmHWM")
		if baseline == 0 {
			baseline = peak
		}
		fmt.Fprintf(&report, "| %s | %s | %.1f s | %d MB | %+d MB |\n", c.name, answers, took.Seconds(), peak>>10, (peak-baseline)>>10)
	}
	t.Log(report.String())
}

// procStatusKB reads a field of /proc/self/status, in kB.
func procStatusKB(t *testing.T, field string) int64 {
	t.Helper()
	f, err := os.Open("/proc/self/status")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if rest, ok := strings.CutPrefix(sc.Text(), field+":"); ok {
			n, err := strconv.ParseInt(strings.TrimSuffix(strings.TrimSpace(rest), " kB"), 10, 64)
			if err != nil {
				t.Fatal(err)
			}
			return n
		}
	}
	t.Fatalf("no %s in /proc/self/status", field)
	return 0
}

// bigPNG is a real w×h RGBA PNG of the given bit depth, a soft gradient
// that compresses well (a few hundred KB), written a row at a time.
func bigPNG(t *testing.T, w, h, depth int) []byte {
	t.Helper()
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
		row[0] = 0 // no filter
		v := byte(y * 255 / h)
		for i := 1; i < len(row); i++ {
			row[i] = v
		}
		for i := 4 * depth / 8; i < len(row); i += 4 * depth / 8 {
			row[i] = 255 // opaque: the last byte of each pixel's alpha
		}
		_, _ = zw.Write(row)
	}
	_ = zw.Close()
	chunk(&out, "IDAT", idat.Bytes())
	chunk(&out, "IEND", nil)
	return out.Bytes()
}
