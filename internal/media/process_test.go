package media

import (
	"bytes"
	"encoding/binary"
	"errors"
	"hash/crc32"
	"image"
	"image/color"
	"image/gif"
	"image/jpeg"
	"image/png"
	"os"
	"slices"
	"strings"
	"testing"
)

// testImage is a w×h picture with a gradient, so encoders have work to do.
func testImage(w, h int) *image.NRGBA {
	img := image.NewNRGBA(image.Rect(0, 0, w, h))
	for y := range h {
		for x := range w {
			img.SetNRGBA(x, y, color.NRGBA{uint8(x), uint8(y), 128, 255})
		}
	}
	return img
}

func jpegBytes(t testing.TB, w, h int) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := jpeg.Encode(&buf, testImage(w, h), &jpeg.Options{Quality: 90}); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func pngBytes(t testing.TB, img image.Image) []byte {
	t.Helper()
	var buf bytes.Buffer
	if err := png.Encode(&buf, img); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func readTestdata(t testing.TB, name string) []byte {
	t.Helper()
	b, err := os.ReadFile("testdata/" + name)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// withEXIF inserts an APP1 EXIF segment after a JPEG's SOI marker, with
// an orientation tag and a camera make and GPS-looking text to find.
func withEXIF(t testing.TB, jpg []byte, orientation uint16) []byte {
	t.Helper()
	var tiff bytes.Buffer
	tiff.WriteString("MM\x00\x2a")
	_ = binary.Write(&tiff, binary.BigEndian, uint32(8)) // IFD0 offset
	_ = binary.Write(&tiff, binary.BigEndian, uint16(2)) // entries
	// Make (0x010f), ASCII, 12 bytes at offset 8+2+24+4 = 38.
	_ = binary.Write(&tiff, binary.BigEndian, []uint16{0x010f, 2})
	_ = binary.Write(&tiff, binary.BigEndian, []uint32{12, 38})
	// Orientation (0x0112), SHORT, 1.
	_ = binary.Write(&tiff, binary.BigEndian, []uint16{0x0112, 3})
	_ = binary.Write(&tiff, binary.BigEndian, uint32(1))
	_ = binary.Write(&tiff, binary.BigEndian, []uint16{orientation, 0})
	_ = binary.Write(&tiff, binary.BigEndian, uint32(0)) // no next IFD
	tiff.WriteString("SECRETCAM\x00\x00\x00")
	payload := append([]byte("Exif\x00\x00"), tiff.Bytes()...)
	seg := []byte{0xFF, 0xE1, 0, 0}
	binary.BigEndian.PutUint16(seg[2:], uint16(len(payload)+2))
	seg = append(seg, payload...)
	out := append([]byte{}, jpg[:2]...)
	out = append(out, seg...)
	return append(out, jpg[2:]...)
}

func variantWidthsOf(res Result) []int {
	var ws []int
	for _, v := range res.Variants {
		ws = append(ws, v.Width)
	}
	return ws
}

func TestProcess_acceptedTypesGetTheRightWidths(t *testing.T) {
	transparent := image.NewNRGBA(image.Rect(0, 0, 700, 100))
	transparent.SetNRGBA(5, 5, color.NRGBA{255, 0, 0, 255})
	tests := []struct {
		name       string
		data       []byte
		wantSource string
		wantCT     string
		wantW      int
		wantH      int
		wantWidths []int
	}{
		{"large jpeg", jpegBytes(t, 2000, 400), "jpeg", "image/jpeg", 2000, 400, []int{320, 640, 960, 1280, 1920}},
		{"1000 px jpeg", jpegBytes(t, 1000, 500), "jpeg", "image/jpeg", 1000, 500, []int{320, 640, 960}},
		{"exactly 640 px jpeg", jpegBytes(t, 640, 480), "jpeg", "image/jpeg", 640, 480, []int{320, 640}},
		{"tiny jpeg kept at its own width", jpegBytes(t, 200, 100), "jpeg", "image/jpeg", 200, 100, []int{200}},
		{"png", pngBytes(t, testImage(700, 350)), "png", "image/png", 700, 350, []int{320, 640}},
		{"transparent png", pngBytes(t, transparent), "png", "image/png", 700, 100, []int{320, 640}},
		{"tiny png", pngBytes(t, testImage(1, 1)), "png", "image/png", 1, 1, []int{1}},
		{"lossless webp", readTestdata(t, "400x200.webp"), "webp", "image/jpeg", 400, 200, []int{320}},
		{"lossy webp with alpha", readTestdata(t, "400x200-lossy.webp"), "webp", "image/jpeg", 400, 200, []int{320}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res, err := Process(bytes.NewReader(tt.data), Limits{})
			if err != nil {
				t.Fatal(err)
			}
			if res.Source != tt.wantSource || res.ContentType != tt.wantCT || res.Width != tt.wantW || res.Height != tt.wantH {
				t.Errorf("got %s→%s %d×%d, want %s→%s %d×%d", res.Source, res.ContentType, res.Width, res.Height,
					tt.wantSource, tt.wantCT, tt.wantW, tt.wantH)
			}
			if got := variantWidthsOf(res); !slices.Equal(got, tt.wantWidths) {
				t.Errorf("widths: got %v, want %v", got, tt.wantWidths)
			}
			for _, v := range res.Variants {
				decode, wantExt := jpeg.DecodeConfig, "jpg"
				if tt.wantCT == "image/png" {
					decode, wantExt = png.DecodeConfig, "png"
				}
				if res.Ext != wantExt {
					t.Errorf("ext: got %q, want %q", res.Ext, wantExt)
				}
				cfg, err := decode(bytes.NewReader(v.Data))
				if err != nil {
					t.Fatalf("%d px variant does not decode as %s: %v", v.Width, tt.wantCT, err)
				}
				if cfg.Width != v.Width || cfg.Height != v.Height {
					t.Errorf("%d px variant is %d×%d, its record says %d×%d", v.Width, cfg.Width, cfg.Height, v.Width, v.Height)
				}
				if cfg.Width > tt.wantW {
					t.Errorf("variant %d px is wider than the %d px original: upscaled", cfg.Width, tt.wantW)
				}
				if want := max(1, (tt.wantH*v.Width+tt.wantW/2)/tt.wantW); v.Height != want {
					t.Errorf("%d px variant height: got %d, want %d (aspect kept)", v.Width, v.Height, want)
				}
			}
		})
	}
}

func TestVariantWidths_tallImagesSkipHugeVariants(t *testing.T) {
	tests := []struct {
		w, h int
		want []int
	}{
		{4000, 3000, []int{320, 640, 960, 1280, 1920}},
		{1000, 8000, []int{320, 640, 960}},             // 960×7680 is 7.4 MP
		{1333, 30000, []int{320}},                      // 640 px would be 14 MP
		{320, 30000, []int{320}},                       // the smallest is always made
		{100, 20000, []int{100}},                       // narrower than all: its own width
		{30000, 100, []int{320, 640, 960, 1280, 1920}}, // wide is cheap
	}
	for _, tt := range tests {
		if got := variantWidths(tt.w, tt.h); !slices.Equal(got, tt.want) {
			t.Errorf("variantWidths(%d, %d) = %v, want %v", tt.w, tt.h, got, tt.want)
		}
	}
}

func TestBoxShrink_averagesBlocks(t *testing.T) {
	src := image.NewNRGBA(image.Rect(0, 0, 5, 2))
	for x := range 5 {
		src.SetNRGBA(x, 0, color.NRGBA{200, 0, 0, 255})
		src.SetNRGBA(x, 1, color.NRGBA{0, 0, 100, 255})
	}
	src.SetNRGBA(4, 0, color.NRGBA{0, 0, 0, 255})
	got := boxShrink(src, 2, 2)
	if b := got.Bounds(); b.Dx() != 3 || b.Dy() != 1 {
		t.Fatalf("size: got %v, want 3×1 (the last column a block of its own)", b)
	}
	want := []color.RGBA{{100, 0, 50, 255}, {100, 0, 50, 255}, {0, 0, 50, 255}}
	for x, w := range want {
		if c := color.RGBAModel.Convert(got.At(x, 0)).(color.RGBA); c != w {
			t.Errorf("pixel %d: got %v, want %v", x, c, w)
		}
	}
	if boxShrink(src, 1, 1) != image.Image(src) {
		t.Error("a factor of 1 copied the image")
	}
}

func TestProcess_pngKeepsTransparency(t *testing.T) {
	img := image.NewNRGBA(image.Rect(0, 0, 400, 400))
	res, err := Process(bytes.NewReader(pngBytes(t, img)), Limits{})
	if err != nil {
		t.Fatal(err)
	}
	out, err := png.Decode(bytes.NewReader(res.Variants[0].Data))
	if err != nil {
		t.Fatal(err)
	}
	if _, _, _, a := out.At(100, 100).RGBA(); a != 0 {
		t.Errorf("alpha of a transparent pixel: got %d, want 0", a)
	}
}

func TestProcess_stripsEXIF(t *testing.T) {
	in := withEXIF(t, jpegBytes(t, 800, 400), 1)
	if !bytes.Contains(in, []byte("Exif")) || !bytes.Contains(in, []byte("SECRETCAM")) {
		t.Fatal("the test upload has no EXIF to strip")
	}
	res, err := Process(bytes.NewReader(in), Limits{})
	if err != nil {
		t.Fatal(err)
	}
	if len(res.Variants) != 2 {
		t.Fatalf("got %d variants, want 2", len(res.Variants))
	}
	for _, v := range res.Variants {
		if bytes.Contains(v.Data, []byte("Exif")) || bytes.Contains(v.Data, []byte("SECRETCAM")) {
			t.Errorf("%d px variant still carries EXIF", v.Width)
		}
	}
}

func TestProcess_appliesEXIFOrientation(t *testing.T) {
	for _, tt := range []struct {
		orientation  uint16
		wantW, wantH int
	}{{1, 400, 200}, {3, 400, 200}, {6, 200, 400}, {8, 200, 400}} {
		res, err := Process(bytes.NewReader(withEXIF(t, jpegBytes(t, 400, 200), tt.orientation)), Limits{})
		if err != nil {
			t.Fatal(err)
		}
		if res.Width != tt.wantW || res.Height != tt.wantH {
			t.Errorf("orientation %d: got %d×%d, want %d×%d", tt.orientation, res.Width, res.Height, tt.wantW, tt.wantH)
		}
	}
}

func TestProcess_refusesOversizeFile(t *testing.T) {
	data := jpegBytes(t, 600, 600)
	_, err := Process(bytes.NewReader(data), Limits{MaxBytes: int64(len(data) - 1)})
	if !errors.Is(err, ErrTooLarge) {
		t.Fatalf("got %v, want ErrTooLarge", err)
	}
	if _, err := Process(bytes.NewReader(data), Limits{MaxBytes: int64(len(data))}); err != nil {
		t.Errorf("a file of exactly the limit: got %v, want it accepted", err)
	}
	_, err = Process(bytes.NewReader(make([]byte, DefaultMaxBytes+1)), Limits{})
	if !errors.Is(err, ErrTooLarge) || err.Error() != "the file is larger than 10 MB" {
		t.Errorf("over the default limit: got %q, want ErrTooLarge saying 10 MB", err)
	}
	if !IsUploadError(err) {
		t.Errorf("IsUploadError(%v) = false, want true", err)
	}
}

func TestProcess_refusesUnsupportedTypes(t *testing.T) {
	var gifBuf bytes.Buffer
	if err := gif.Encode(&gifBuf, testImage(10, 10), nil); err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name     string
		data     []byte
		wantWord string
	}{
		{"text", []byte("just some words, not a picture at all\n"), "text file"},
		{"html", []byte("<!DOCTYPE html><html><body><img src=x onerror=alert(1)></body></html>"), "HTML"},
		{"gif", gifBuf.Bytes(), "GIF"},
		{"svg", []byte(`<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>`), "SVG"},
		{"bare svg", []byte(`<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>`), "SVG"},
		{"pdf", []byte("%PDF-1.7\n%âãÏÓ\n"), "PDF"},
		{"binary junk", []byte{0x00, 0x01, 0x02, 0x03, 0xfe, 0xff}, "not recognised"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Process(bytes.NewReader(tt.data), Limits{})
			if !errors.Is(err, ErrUnsupported) {
				t.Fatalf("got %v, want ErrUnsupported", err)
			}
			msg := err.Error()
			if !strings.HasPrefix(msg, "only JPEG, PNG and WebP images can be uploaded; this file is ") || !strings.Contains(msg, tt.wantWord) {
				t.Errorf("message: got %q, want it to name %q", msg, tt.wantWord)
			}
		})
	}
}

// TestProcess_typeComesFromContent feeds a PNG as an upload a browser
// would call photo.jpg: Process never sees a name, so it must be a PNG.
func TestProcess_typeComesFromContent(t *testing.T) {
	res, err := Process(bytes.NewReader(pngBytes(t, testImage(400, 300))), Limits{})
	if err != nil {
		t.Fatal(err)
	}
	if res.Source != "png" || res.Ext != "png" {
		t.Errorf("a PNG named .jpg: got %s/%s, want png/png", res.Source, res.Ext)
	}
	// A JPEG header on HTML is still not a picture.
	fake := append([]byte{0xFF, 0xD8, 0xFF}, []byte("<html><script>alert(1)</script></html>")...)
	if _, err := Process(bytes.NewReader(fake), Limits{}); !errors.Is(err, ErrCorrupt) {
		t.Errorf("HTML behind a JPEG signature: got %v, want ErrCorrupt", err)
	}
}

// pngBomb is a PNG whose header claims w×h pixels, followed by a scrap of
// image data: decoding it fully would need w*h*4 bytes.
func pngBomb(w, h uint32) []byte {
	chunk := func(typ string, data []byte) []byte {
		out := binary.BigEndian.AppendUint32(nil, uint32(len(data)))
		out = append(out, typ...)
		out = append(out, data...)
		return binary.BigEndian.AppendUint32(out, crc32.ChecksumIEEE(append([]byte(typ), data...)))
	}
	ihdr := binary.BigEndian.AppendUint32(nil, w)
	ihdr = binary.BigEndian.AppendUint32(ihdr, h)
	ihdr = append(ihdr, 8, 6, 0, 0, 0) // 8-bit RGBA, no interlace
	out := []byte("\x89PNG\r\n\x1a\n")
	out = append(out, chunk("IHDR", ihdr)...)
	out = append(out, chunk("IDAT", []byte{0x78, 0x9c, 0x62, 0x00})...)
	return out
}

func TestProcess_refusesTooManyPixelsBeforeDecoding(t *testing.T) {
	tests := []struct {
		name string
		data []byte
		lim  Limits
	}{
		{"100000×100000 png bomb", pngBomb(100000, 100000), Limits{}},
		{"just over the default limit", pngBomb(8000, 5001), Limits{}},
		{"absurdly wide", pngBomb(40000, 1), Limits{}},
		{"over a custom limit", jpegBytes(t, 200, 200), Limits{MaxPixels: 200*200 - 1}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Process(bytes.NewReader(tt.data), tt.lim)
			if !errors.Is(err, ErrTooManyPixels) {
				t.Fatalf("got %v, want ErrTooManyPixels", err)
			}
		})
	}
	// The bomb's data is a scrap: had it been decoded, the error would be
	// ErrCorrupt. Under a big enough limit, that is what happens.
	_, err := Process(bytes.NewReader(pngBomb(100, 100)), Limits{})
	if !errors.Is(err, ErrCorrupt) {
		t.Errorf("a 100×100 header over a scrap of data: got %v, want ErrCorrupt", err)
	}
	_, err = Process(bytes.NewReader(pngBomb(100000, 100000)), Limits{})
	if want := "the image is 100000 × 100000 pixels; neither side may be over 30000"; err == nil || err.Error() != want {
		t.Errorf("message: got %q, want %q", err, want)
	}
	_, err = Process(bytes.NewReader(pngBomb(8000, 5001)), Limits{})
	if want := "the image is 8000 × 5001 pixels (40.0 megapixels); the limit is 40 megapixels"; err == nil || err.Error() != want {
		t.Errorf("message: got %q, want %q", err, want)
	}
}

func TestProcess_refusesCorruptImages(t *testing.T) {
	jpg := jpegBytes(t, 300, 300)
	pngData := pngBytes(t, testImage(300, 300))
	webpData := readTestdata(t, "400x200.webp")
	tests := []struct {
		name string
		data []byte
	}{
		{"truncated jpeg", jpg[:len(jpg)/2]},
		{"jpeg header only", jpg[:20]},
		{"truncated png", pngData[:len(pngData)/2]},
		{"truncated webp", webpData[:len(webpData)-20]},
		{"zero-sized png", pngBomb(0, 0)},
		{"empty", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := Process(bytes.NewReader(tt.data), Limits{})
			if !errors.Is(err, ErrCorrupt) {
				t.Fatalf("got %v, want ErrCorrupt", err)
			}
			if !IsUploadError(err) || err.Error() == "" || strings.HasPrefix(err.Error(), "media:") {
				t.Errorf("message %q is not for people", err)
			}
		})
	}
}

func FuzzProcess(f *testing.F) {
	f.Add(jpegBytes(f, 40, 30))
	f.Add(pngBytes(f, testImage(30, 20)))
	f.Add(readTestdata(f, "400x200.webp"))
	f.Add(withEXIF(f, jpegBytes(f, 16, 8), 6))
	f.Add(pngBomb(100000, 100000))
	f.Add([]byte("<svg/>"))
	lim := Limits{MaxBytes: 1 << 20, MaxPixels: 1 << 20}
	f.Fuzz(func(t *testing.T, data []byte) {
		res, err := Process(bytes.NewReader(data), lim)
		if err != nil {
			if !IsUploadError(err) {
				t.Fatalf("refusal %v is not an *UploadError", err)
			}
			return
		}
		if len(res.Variants) == 0 {
			t.Fatal("accepted with no variants")
		}
		for _, v := range res.Variants {
			if v.Width > max(res.Width, res.Height) || len(v.Data) == 0 {
				t.Fatalf("bad variant %d×%d of %d×%d", v.Width, v.Height, res.Width, res.Height)
			}
		}
	})
}

func BenchmarkProcess_24MPJPEG(b *testing.B) {
	data := jpegBytes(b, 6000, 4000)
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		if _, err := Process(bytes.NewReader(data), Limits{}); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkProcess_24MPJPEGRotated(b *testing.B) {
	data := withEXIF(b, jpegBytes(b, 6000, 4000), 6)
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		if _, err := Process(bytes.NewReader(data), Limits{}); err != nil {
			b.Fatal(err)
		}
	}
}
