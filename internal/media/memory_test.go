package media

import (
	"bytes"
	"context"
	"encoding/binary"
	"errors"
	"hash/crc32"
	"image"
	"image/color"
	"strings"
	"sync"
	"testing"
	"time"

	"golang.org/x/image/draw"
)

// pngHeader is a PNG whose header claims w×h pixels of the given bit
// depth and colour type, followed by a scrap of image data.
func pngHeader(w, h uint32, depth, colour byte) []byte {
	chunk := func(typ string, data []byte) []byte {
		out := binary.BigEndian.AppendUint32(nil, uint32(len(data)))
		out = append(out, typ...)
		out = append(out, data...)
		return binary.BigEndian.AppendUint32(out, crc32.ChecksumIEEE(append([]byte(typ), data...)))
	}
	ihdr := binary.BigEndian.AppendUint32(binary.BigEndian.AppendUint32(nil, w), h)
	ihdr = append(ihdr, depth, colour, 0, 0, 0)
	out := append([]byte("\x89PNG\r\n\x1a\n"), chunk("IHDR", ihdr)...)
	return append(out, chunk("IDAT", []byte{0x78, 0x9c, 0x62, 0x00})...)
}

// pixBytes is the size of a decoded image's pixel buffers.
func pixBytes(t *testing.T, img image.Image) int64 {
	t.Helper()
	switch m := img.(type) {
	case *image.Gray:
		return int64(len(m.Pix))
	case *image.Gray16:
		return int64(len(m.Pix))
	case *image.Paletted:
		return int64(len(m.Pix))
	case *image.RGBA:
		return int64(len(m.Pix))
	case *image.NRGBA:
		return int64(len(m.Pix))
	case *image.RGBA64:
		return int64(len(m.Pix))
	case *image.NRGBA64:
		return int64(len(m.Pix))
	case *image.CMYK:
		return int64(len(m.Pix))
	case *image.YCbCr:
		return int64(len(m.Y) + len(m.Cb) + len(m.Cr))
	case *image.NYCbCrA:
		return int64(len(m.Y) + len(m.Cb) + len(m.Cr) + len(m.A))
	}
	t.Fatalf("decoded to an unexpected %T", img)
	return 0
}

// The cost read from the header is what the decoder really allocates for
// the image, for each kind of file: 16-bit PNGs twice 8-bit ones, gray a
// quarter of colour, 4:2:0 JPEGs and lossy WebP 1.5 bytes a pixel.
func TestCostOf_isWhatTheDecoderAllocates(t *testing.T) {
	const w, h = 301, 203
	rect := image.Rect(0, 0, w, h)
	gray, gray16 := image.NewGray(rect), image.NewGray16(rect)
	rgba64 := image.NewNRGBA64(rect)
	pal := image.NewPaletted(rect, color.Palette{color.Black, color.White})
	for y := range h {
		for x := range w {
			gray.SetGray(x, y, color.Gray{uint8(x)})
			gray16.SetGray16(x, y, color.Gray16{uint16(x * y)})
			rgba64.SetNRGBA64(x, y, color.NRGBA64{uint16(x), uint16(y), 9, 0xffff})
			pal.SetColorIndex(x, y, uint8(x&1))
		}
	}
	tests := []struct {
		name string
		data []byte
		bpp  float64 // bytes a pixel of the decoded image, roughly
	}{
		{"png gray 8-bit", pngBytes(t, gray), 1},
		{"png gray 16-bit", pngBytes(t, gray16), 2},
		{"png paletted", pngBytes(t, pal), 1},
		{"png rgba 8-bit", pngBytes(t, testImage(w, h)), 4},
		{"png rgba 16-bit", pngBytes(t, rgba64), 8},
		{"jpeg 4:2:0", jpegBytes(t, w, h), 1.5},
		{"webp lossy with alpha", readTestdata(t, "400x200-lossy.webp"), 2.5},
		{"webp lossless", readTestdata(t, "400x200.webp"), 4},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			up, err := inspect(tt.data, Limits{}.withDefaults())
			if err != nil {
				t.Fatal(err)
			}
			img, err := up.decode(bytes.NewReader(tt.data))
			if err != nil {
				t.Fatal(err)
			}
			got := costOf(up.res.Source, tt.data, up.cfg.Width, up.cfg.Height)
			real := pixBytes(t, img)
			px := float64(up.cfg.Width * up.cfg.Height)
			if got.Image < real || float64(got.Image) > 1.1*float64(real) {
				t.Errorf("cost says %d bytes, the decoder allocated %d", got.Image, real)
			}
			if bpp := float64(real) / px; bpp < 0.9*tt.bpp || bpp > 1.15*tt.bpp {
				t.Errorf("decoded at %.2f bytes a pixel, want about %.1f", bpp, tt.bpp)
			}
			if got.Peak < got.Image {
				t.Errorf("peak %d under the image's %d", got.Peak, got.Image)
			}
		})
	}
}

func TestProcess_refusesImagesOverTheMemoryBudget(t *testing.T) {
	// The security review's file: 6300 × 6300 at 16 bits per channel is
	// 39.7 megapixels, under the pixel limit, but 318 MB decoded.
	_, err := Process(bytes.NewReader(pngHeader(6300, 6300, 16, 6)), Limits{})
	var ue *UploadError
	if !errors.As(err, &ue) || !errors.Is(err, ErrTooMuchMemory) {
		t.Fatalf("16-bit 6300×6300: got %v, want ErrTooMuchMemory", err)
	}
	for _, want := range []string{"6300 × 6300", "16 bits per channel", "of memory", "the limit is 256 MB"} {
		if !strings.Contains(ue.Msg, want) {
			t.Errorf("message %q does not say %q", ue.Msg, want)
		}
	}
	// The same size at 8 bits fits: it is decoded (and found corrupt).
	if _, err := Process(bytes.NewReader(pngHeader(6300, 6300, 8, 6)), Limits{}); !errors.Is(err, ErrCorrupt) {
		t.Errorf("8-bit 6300×6300: got %v, want ErrCorrupt from decoding the scrap", err)
	}
	// A smaller budget refuses it too.
	if _, err := Process(bytes.NewReader(pngHeader(6300, 6300, 8, 6)), Limits{MemoryBudget: 64 << 20}); !errors.Is(err, ErrTooMuchMemory) {
		t.Errorf("8-bit 6300×6300 with 64 MB: got %v, want ErrTooMuchMemory", err)
	}
	// 7680 × 5120 shrinks by 4 to exactly the widest variant, so
	// decoding is its costliest step: 16 bits weigh 4 bytes a pixel more.
	big := Limits{MemoryBudget: 1 << 30}.withDefaults()
	a, _ := inspect(pngHeader(7680, 5120, 8, 6), big)
	b, _ := inspect(pngHeader(7680, 5120, 16, 6), big)
	if a == nil || b == nil || b.weight-a.weight != 7680*5120*4 {
		t.Errorf("a 16-bit PNG does not weigh 4 bytes a pixel more than an 8-bit one: %v, %v", a, b)
	}
}

// weightOf is the weight the library gives data.
func weightOf(t *testing.T, data []byte) int64 {
	t.Helper()
	up, err := inspect(data, Limits{}.withDefaults())
	if err != nil {
		t.Fatal(err)
	}
	return up.weight
}

// waitFor polls cond until it holds; false after 10 s.
func waitFor(cond func() bool) bool {
	for deadline := time.Now().Add(10 * time.Second); time.Now().Before(deadline); time.Sleep(time.Millisecond) {
		if cond() {
			return true
		}
	}
	return false
}

// saveAll saves n copies of data at once and returns their errors.
func saveAll(lib *Library, n int, data []byte) []error {
	errs := make([]error, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() {
			_, errs[i] = lib.Save(context.Background(), 1, bytes.NewReader(data))
		})
	}
	wg.Wait()
	return errs
}

// patientWait is a wait limit no queue in these tests reaches: under the
// race detector on a busy machine four uploads one at a time can take
// longer than the default 20 s, and the budget, not the wait, is on test.
const patientWait = 10 * time.Minute

func TestLibrary_memoryBudgetBoundsConcurrentDecodes(t *testing.T) {
	// A small image: the budget counts each upload's weight whatever its
	// size, and resizing a large PNG seven times under the race detector
	// took minutes.
	data := pngBytes(t, testImage(400, 300))
	w := weightOf(t, data)

	// Room for one and a half: four uploads at once go one at a time.
	// The first to get in holds its memory until the three others are
	// waiting, so a budget that let them in would be seen.
	lib := NewLibrary(&memStore{}, NewLocalDisk(t.TempDir()), Limits{MemoryBudget: w * 3 / 2, MaxWait: patientWait})
	var once sync.Once
	lib.held = func(int64) {
		once.Do(func() {
			if !waitFor(func() bool { return lib.waiting.Load() == 3 }) {
				t.Error("the three other uploads never waited")
			}
		})
	}
	for i, err := range saveAll(lib, 4, data) {
		if err != nil {
			t.Errorf("upload %d: %v", i, err)
		}
	}
	if p := lib.peak.Load(); p != w {
		t.Errorf("most weight held at once %d, want one upload's %d (budget %d)", p, w, w*3/2)
	}

	// Room for two: two are decoded at once, a third waits.
	lib = NewLibrary(&memStore{}, NewLocalDisk(t.TempDir()), Limits{MemoryBudget: 2*w + w/2, MaxWait: patientWait})
	once = sync.Once{}
	lib.held = func(int64) {
		once.Do(func() {
			if !waitFor(func() bool { return lib.inUse.Load() == 2*w && lib.waiting.Load() == 1 }) {
				t.Error("a second upload did not start beside the first")
			}
		})
	}
	for i, err := range saveAll(lib, 3, data) {
		if err != nil {
			t.Errorf("upload %d: %v", i, err)
		}
	}
	if p := lib.peak.Load(); p != 2*w {
		t.Errorf("most weight held at once %d, want two uploads' %d", p, 2*w)
	}
	if n := lib.inUse.Load(); n != 0 {
		t.Errorf("%d bytes still held after every upload", n)
	}
}

func TestLibrary_waitForMemoryEndsWithTheClientOrAsBusy(t *testing.T) {
	data := jpegBytes(t, 400, 300)
	lib := NewLibrary(&memStore{}, NewLocalDisk(t.TempDir()), Limits{MemoryBudget: 64 << 20, MaxWait: 30 * time.Millisecond})
	release, err := lib.Reserve(context.Background(), 64<<20) // the whole budget
	if err != nil {
		t.Fatal(err)
	}
	// The client goes away while it waits: the upload gives up at once.
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan error)
	go func() {
		_, err := lib.Save(ctx, 7, bytes.NewReader(data))
		done <- err
	}()
	if !waitFor(func() bool { return lib.waiting.Load() == 1 }) {
		t.Fatal("the upload did not wait")
	}
	cancel()
	if err := <-done; !errors.Is(err, context.Canceled) {
		t.Errorf("client gone: got %v, want context.Canceled", err)
	}
	// A wait over MaxWait is refused as busy, with a message to show.
	_, err = lib.Save(context.Background(), 7, bytes.NewReader(data))
	var ue *UploadError
	if !errors.Is(err, ErrBusy) || !errors.As(err, &ue) || !strings.Contains(ue.Msg, "try again in 30 seconds") {
		t.Errorf("budget held past MaxWait: got %v, want ErrBusy", err)
	}
	if n := lib.waiting.Load(); n != 0 {
		t.Errorf("%d uploads still counted as waiting", n)
	}
	// More than MaxWaiting waiting: the next is refused without waiting.
	lib.waiting.Store(MaxWaiting)
	start := time.Now()
	if _, err := lib.Save(context.Background(), 7, bytes.NewReader(data)); !errors.Is(err, ErrBusy) || time.Since(start) > time.Second {
		t.Errorf("with %d waiting: got %v after %s, want ErrBusy at once", MaxWaiting, err, time.Since(start))
	}
	lib.waiting.Store(0)
	release()
	if _, err := lib.Save(context.Background(), 7, bytes.NewReader(data)); err != nil {
		t.Fatalf("with the memory free: %v", err)
	}
	if _, err := lib.Reserve(context.Background(), 65<<20); !errors.Is(err, ErrTooMuchMemory) {
		t.Errorf("reserving more than the budget: got %v, want ErrTooMuchMemory", err)
	}
}

// Scaling is done in bands: a 3839 × 3839 image is under twice the
// widest variant, so it is scaled without the box filter, and CatmullRom
// alone would hold 236 MB of scratch space for it.
func TestResizeCost_scalingInBandsBoundsTheScratch(t *testing.T) {
	c := costOf("png", pngHeader(3839, 3839, 8, 6), 3839, 3839)
	got := resizeCost(c.Image, 3839, 3839, 1)
	// The image (56 MB), the variant and its encoding (2 × 14 MB), the
	// pass across (28 MB) and two bands: 123 MB, not 309.
	if got > 128<<20 {
		t.Errorf("resize cost %d MB, want under 128 (unbanded scaling's scratch alone is %d MB)", got>>20, int64(1920)*3839*32>>20)
	}
}

// Scaling in bands gives the picture scaling at once gives, within a
// level of rounding, bands' edges included. Only where CatmullRom
// overshoots on hard edges, which the 8-bit pass across clamps, do a
// few values differ by more.
func TestScale_inBandsMatchesOneScale(t *testing.T) {
	for _, pattern := range []string{"photo", "hard edges"} {
		src := image.NewNRGBA(image.Rect(0, 0, 1500, 1100))
		for y := range 1100 {
			for x := range 1500 {
				c := color.NRGBA{uint8(x / 6), uint8(y / 5), uint8((x*7 + y*13) % 23 * 5), 255}
				if pattern == "hard edges" {
					c = color.NRGBA{uint8(x * y), uint8(x ^ y), uint8(3 * x), uint8(128 + y%128)}
				}
				src.SetNRGBA(x, y, c)
			}
		}
		for _, asPNG := range []bool{true, false} {
			got := scale(src, 1000, 700, asPNG) // bands of 131 rows, then of 119 columns
			want := image.NewRGBA(got.Bounds())
			op := draw.Src
			if !asPNG {
				draw.Draw(want, want.Bounds(), image.NewUniform(color.White), image.Point{}, draw.Src)
				op = draw.Over
			}
			draw.CatmullRom.Scale(want, want.Bounds(), src, src.Bounds(), op, nil)
			worst, over := 0, 0
			for i := range got.Pix {
				d := abs(int(got.Pix[i]) - int(want.Pix[i]))
				worst = max(worst, d)
				if d > 1 {
					over++
				}
			}
			switch {
			case pattern == "photo" && worst > 1:
				t.Errorf("photo, png %v: a channel differs by %d levels from scaling at once", asPNG, worst)
			case over > len(got.Pix)/1000:
				t.Errorf("%s, png %v: %d channel values differ by more than a level", pattern, asPNG, over)
			}
		}
	}
}

func abs(n int) int {
	if n < 0 {
		return -n
	}
	return n
}
