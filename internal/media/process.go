package media

import (
	"bytes"
	"errors"
	"fmt"
	"image"
	"image/color"
	"image/jpeg"
	"image/png"
	"io"
	"net/http"
	"runtime"
	"strings"
	"time"

	"golang.org/x/image/draw"
	"golang.org/x/image/webp"
)

// The kinds of refusal, for errors.Is. Process returns them inside an
// *UploadError whose message can be shown to the person uploading.
var (
	ErrTooLarge      = errors.New("media: file too large")
	ErrUnsupported   = errors.New("media: unsupported file type")
	ErrTooManyPixels = errors.New("media: image has too many pixels")
	ErrCorrupt       = errors.New("media: image cannot be decoded")
	// ErrTooMuchMemory is an image whose decoding and resizing alone
	// would take more than the memory budget.
	ErrTooMuchMemory = errors.New("media: image needs too much memory")
	// ErrBusy is an upload that waited too long for memory other
	// uploads held; it may be sent again later (see RetryAfter).
	ErrBusy = errors.New("media: too busy")
)

// UploadError is a refused upload: Error is a sentence for the person who
// sent the file, Unwrap gives the kind (ErrTooLarge, ErrUnsupported,
// ErrTooManyPixels, ErrCorrupt, ErrTooMuchMemory, ErrBusy, or
// ErrUnavailable when the storage did not take the files).
type UploadError struct {
	Kind  error
	Msg   string
	cause error // what went wrong underneath, if anything: for the log
}

func (e *UploadError) Error() string { return e.Msg }

// Unwrap gives the kind and the underlying cause, if any.
func (e *UploadError) Unwrap() []error {
	if e.cause == nil {
		return []error{e.Kind}
	}
	return []error{e.Kind, e.cause}
}

func refuse(kind error, format string, args ...any) error {
	return &UploadError{Kind: kind, Msg: fmt.Sprintf(format, args...)}
}

// Defaults for Limits.
const (
	DefaultMaxBytes  = 10 << 20   // 10 MiB
	DefaultMaxPixels = 40_000_000 // 40 megapixels
	// MaxSide refuses absurd shapes (say 40000×1) that pass the pixel limit.
	MaxSide = 30_000
	// DefaultMemoryBudget is the memory all uploads being decoded and
	// resized at once may take together. It admits one 40-megapixel
	// 8-bit RGBA PNG (about 170 MB at its peak) or five 24-megapixel
	// camera JPEGs (about 50 MB each), and refuses a 40-megapixel
	// 16-bit PNG (320 MB) outright.
	DefaultMemoryBudget = 256 << 20
	// DefaultMaxWait is how long an upload waits for memory before it
	// is refused as busy: a few large images' time to resize.
	DefaultMaxWait = 20 * time.Second
)

// RetryAfter is what a refusal as busy asks the client to wait.
const RetryAfter = 30 * time.Second

// Limits bound an upload; a zero field takes its default.
type Limits struct {
	MaxBytes  int64
	MaxPixels int64
	// MemoryBudget bounds the memory of the uploads a Library decodes
	// and resizes at once, and of any one upload.
	MemoryBudget int64
	// MaxWait bounds how long a Library's upload waits for memory.
	MaxWait time.Duration
}

func (l Limits) withDefaults() Limits {
	if l.MaxBytes <= 0 {
		l.MaxBytes = DefaultMaxBytes
	}
	if l.MaxPixels <= 0 {
		l.MaxPixels = DefaultMaxPixels
	}
	if l.MemoryBudget <= 0 {
		l.MemoryBudget = DefaultMemoryBudget
	}
	if l.MaxWait <= 0 {
		l.MaxWait = DefaultMaxWait
	}
	return l
}

// Widths are the variant widths made from an upload, smallest first.
var Widths = []int{320, 640, 960, 1280, 1920}

// JPEGQuality is the quality of every JPEG variant.
const JPEGQuality = 82

// Result is a processed upload, ready to store.
type Result struct {
	Source      string // what the upload was: "jpeg", "png" or "webp"
	Ext         string // of the variants: "jpg" or "png"
	ContentType string // of the variants
	Width       int    // of the upload
	Height      int    // of the upload
	Variants    []Variant
}

// Variant is one re-encoded size of an upload.
type Variant struct {
	Width, Height int
	Data          []byte
}

// Process reads an uploaded image from r and makes its variants: one for
// each of Widths no wider than the image (or one at the image's own width
// when it is narrower than all of them), never enlarged. JPEG and WebP
// uploads become JPEGs, PNGs stay PNGs with their transparency. The type
// is found from the content alone. Refusals are *UploadError.
func Process(r io.Reader, lim Limits) (Result, error) {
	lim = lim.withDefaults()
	data, err := readUpload(r, lim)
	if err != nil {
		return Result{}, err
	}
	return processData(data, lim)
}

// readUpload reads all of r, refusing more than lim.MaxBytes.
func readUpload(r io.Reader, lim Limits) ([]byte, error) {
	data, err := io.ReadAll(io.LimitReader(r, lim.MaxBytes+1))
	if err != nil {
		return nil, fmt.Errorf("media: read upload: %w", err)
	}
	if int64(len(data)) > lim.MaxBytes {
		return nil, refuse(ErrTooLarge, "the file is larger than %s", sizeText(lim.MaxBytes))
	}
	if len(data) == 0 {
		return nil, refuse(ErrCorrupt, "the file is empty")
	}
	return data, nil
}

// processData is Process after the upload has been read, without
// waiting for memory.
func processData(data []byte, lim Limits) (Result, error) {
	up, err := inspect(data, lim)
	if err != nil {
		return Result{}, err
	}
	return up.run()
}

// upload is an upload whose header has been read and checked: what it
// is, and how much memory making its variants takes.
type upload struct {
	data   []byte
	res    Result // Source, Ext and ContentType set
	cfg    image.Config
	decode func(io.Reader) (image.Image, error)
	o      int   // EXIF orientation
	weight int64 // bytes held at the peak of run, the upload included
}

// inspect reads what the upload is from its content and its header, and
// refuses what cannot or must not be decoded before any pixel is.
func inspect(data []byte, lim Limits) (*upload, error) {
	up := &upload{data: data, o: 1}
	res := &up.res
	var decodeConfig func(io.Reader) (image.Config, error)
	switch ct := http.DetectContentType(data); ct {
	case "image/jpeg":
		res.Source, res.Ext, res.ContentType = "jpeg", "jpg", "image/jpeg"
		decodeConfig, up.decode = jpeg.DecodeConfig, jpeg.Decode
	case "image/png":
		res.Source, res.Ext, res.ContentType = "png", "png", "image/png"
		decodeConfig, up.decode = png.DecodeConfig, png.Decode
	case "image/webp":
		res.Source, res.Ext, res.ContentType = "webp", "jpg", "image/jpeg"
		decodeConfig, up.decode = webp.DecodeConfig, webp.Decode
	default:
		return nil, refuse(ErrUnsupported, "only JPEG, PNG and WebP images can be uploaded; this file is %s", describe(ct, data))
	}

	// The header alone says how big the decoded image would be: refuse
	// decompression bombs before allocating anything for their pixels.
	cfg, err := decodeConfig(bytes.NewReader(data))
	if err != nil {
		return nil, refuse(ErrCorrupt, "the image could not be read; the file may be damaged or incomplete")
	}
	if cfg.Width <= 0 || cfg.Height <= 0 {
		return nil, refuse(ErrCorrupt, "the image has no pixels; the file may be damaged")
	}
	if cfg.Width > MaxSide || cfg.Height > MaxSide {
		return nil, refuse(ErrTooManyPixels, "the image is %d × %d pixels; neither side may be over %d", cfg.Width, cfg.Height, MaxSide)
	}
	if px := int64(cfg.Width) * int64(cfg.Height); px > lim.MaxPixels {
		return nil, refuse(ErrTooManyPixels, "the image is %d × %d pixels (%s); the limit is %s",
			cfg.Width, cfg.Height, megapixels(px), megapixels(lim.MaxPixels))
	}
	up.cfg = cfg
	if res.Source == "jpeg" {
		up.o = jpegOrientation(data)
	}
	// Bytes per pixel differ tenfold between a baseline JPEG and a
	// 16-bit PNG of the same size, so the pixel limit alone does not
	// bound memory: the weight does, against the budget.
	c := costOf(res.Source, data, cfg.Width, cfg.Height)
	up.weight = int64(len(data)) + max(c.Peak, resizeCost(c.Image, cfg.Width, cfg.Height, up.o))
	if up.weight > lim.MemoryBudget {
		with := ""
		if c.Depth != "" {
			with = " (" + c.Depth + ")"
		}
		return nil, refuse(ErrTooMuchMemory, "the image is %d × %d pixels%s and resizing it would take %s of memory; the limit is %s. "+
			"Save it with fewer pixels or 8 bits per channel and upload it again",
			cfg.Width, cfg.Height, with, sizeText(roundMB(up.weight)), sizeText(lim.MemoryBudget))
	}
	return up, nil
}

// roundMB rounds n up to whole MiB, for messages.
func roundMB(n int64) int64 { return (n + 1<<20 - 1) &^ (1<<20 - 1) }

// run decodes the upload and makes its variants.
func (up *upload) run() (Result, error) {
	res, cfg, o := up.res, up.cfg, up.o
	src, err := decodeSafely(up.decode, up.data)
	if err != nil {
		return Result{}, refuse(ErrCorrupt, "the image could not be read; the file may be damaged or incomplete")
	}
	b := src.Bounds()
	if b.Dx() != cfg.Width || b.Dy() != cfg.Height {
		return Result{}, refuse(ErrCorrupt, "the image could not be read; its header and its pixels disagree")
	}
	sw, sh := b.Dx(), b.Dy()
	res.Width, res.Height = sw, sh
	if o >= 5 { // turned a quarter: width and height swap
		res.Width, res.Height = sh, sw
	}

	// Variants are made largest first, each from the one before, and a
	// box filter first brings the source to under twice the size it is
	// scaled to: CatmullRom's scratch space grows with the source's
	// height times the variant's width, 32 bytes a pixel.
	p := planResize(sw, sh, o)
	if shrunk := orient(boxShrink(src, p.kx, p.ky), o); shrunk != src {
		src = shrunk // the decoded image is garbage now
		collect(int64(sw) * int64(sh) * 4)
	}
	res.Variants = make([]Variant, len(p.widths))
	asPNG := res.Ext == "png"
	for i := len(p.widths) - 1; i >= 0; i-- {
		w, h := p.widths[i], p.heights[i]
		cb := src.Bounds()
		img := scale(boxShrink(src, cb.Dx()/w, cb.Dy()/h), w, h, asPNG)
		enc, err := encode(img, asPNG)
		if err != nil {
			return Result{}, fmt.Errorf("media: encode %d px variant: %w", w, err)
		}
		res.Variants[i] = Variant{Width: w, Height: h, Data: enc}
		src = img
		collect(int64(w) * int64(cb.Dy()) * 4) // the scaler's pass across, at most
	}
	return res, nil
}

// collectOver is the garbage worth a collection at once.
const collectOver = 16 << 20

// collect runs the garbage collector when a step of run has just left
// about garbage bytes behind. The memory budget counts what each step
// holds, not what earlier ones left: left to itself, the GC (GOGC=400
// and a soft limit, in cmd/broadsheet) lets garbage grow to several
// times the live heap first, so a decoded image would still be in memory
// while the scaler's scratch space is allocated beside it. Pixels hold no
// pointers, so a collection costs milliseconds however big they are.
func collect(garbage int64) {
	if garbage >= collectOver {
		runtime.GC()
	}
}

// decodeSafely turns a decoder panic on hostile input into an error.
func decodeSafely(decode func(io.Reader) (image.Image, error), data []byte) (img image.Image, err error) {
	defer func() {
		if p := recover(); p != nil {
			img, err = nil, fmt.Errorf("decoder panic: %v", p)
		}
	}()
	return decode(bytes.NewReader(data))
}

// MaxVariantPixels leaves out the wider variants of a very tall image:
// a 1920 px wide variant of a 1:10 infographic would be 37 megapixels.
const MaxVariantPixels = 8_000_000

// variantWidths lists the widths made for a w×h image, smallest first:
// each of Widths no wider than the image and under MaxVariantPixels, and
// at least the smallest of them (or w itself, when it is narrower).
func variantWidths(w, h int) []int {
	var out []int
	for _, v := range Widths {
		vh := int64(h) * int64(v) / int64(w)
		if v <= w && (len(out) == 0 || int64(v)*vh <= MaxVariantPixels) {
			out = append(out, v)
		}
	}
	if len(out) == 0 {
		out = []int{w}
	}
	return out
}

// scale draws src at w×h: PNG keeps transparency, JPEG is drawn over
// white so transparent WebP pixels do not turn black.
//
// CatmullRom scales in two passes through float64 scratch space of the
// destination's width times the source's height, 32 bytes a pixel: 236 MB
// to bring a 3839 × 3839 image to 1920 px. So the passes are made one at
// a time, each in bands of at most bandScratch bytes of scratch: rows
// scaled across into an 8-bit image of the destination's width and the
// source's height, then columns of that scaled down. Each band is scaled
// 1:1 along its length, where the kernel is exact, so bands do not show.
func scale(src image.Image, w, h int, asPNG bool) *image.RGBA {
	dst := image.NewRGBA(image.Rect(0, 0, w, h))
	op := draw.Src
	if !asPNG {
		draw.Draw(dst, dst.Bounds(), image.NewUniform(color.White), image.Point{}, draw.Src)
		op = draw.Over
	}
	sb := src.Bounds()
	sw, sh := sb.Dx(), sb.Dy()
	if w == sw && h == sh {
		draw.Draw(dst, dst.Bounds(), src, sb.Min, op)
		return dst
	}
	across := image.NewRGBA(image.Rect(0, 0, w, sh))
	rows := max(1, bandScratch/32/w)
	byRows := draw.CatmullRom.NewScaler(w, rows, sw, rows) // reuses its scratch space
	for y := 0; y < sh; y += rows {
		n := min(rows, sh-y)
		byRows.Scale(across, image.Rect(0, y, w, y+n), src, image.Rect(sb.Min.X, sb.Min.Y+y, sb.Max.X, sb.Min.Y+y+n), draw.Src, nil)
	}
	cols := max(1, bandScratch/32/sh)
	byCols := draw.CatmullRom.NewScaler(cols, h, cols, sh)
	for x := 0; x < w; x += cols {
		n := min(cols, w-x)
		byCols.Scale(dst, image.Rect(x, 0, x+n, h), across, image.Rect(x, 0, x+n, sh), op, nil)
	}
	return dst
}

// bandScratch bounds the scaler's scratch space for one band.
const bandScratch = 4 << 20

func encode(img image.Image, asPNG bool) ([]byte, error) {
	var buf bytes.Buffer
	var err error
	if asPNG {
		err = (&png.Encoder{CompressionLevel: png.BestCompression}).Encode(&buf, img)
	} else {
		err = jpeg.Encode(&buf, img, &jpeg.Options{Quality: JPEGQuality})
	}
	return buf.Bytes(), err
}

// boxShrink averages each kx×ky block of src into one pixel (blocks at the
// right and bottom edges may be smaller), reading src a strip at a time
// so no full-size copy is made. Factors under 2 leave src alone.
func boxShrink(src image.Image, kx, ky int) image.Image {
	kx, ky = max(kx, 1), max(ky, 1)
	if kx == 1 && ky == 1 {
		return src
	}
	b := src.Bounds()
	sw, sh := b.Dx(), b.Dy()
	dw, dh := (sw+kx-1)/kx, (sh+ky-1)/ky
	dst := image.NewRGBA(image.Rect(0, 0, dw, dh))
	strip := image.NewRGBA(image.Rect(0, 0, sw, ky))
	sums := make([]uint64, dw*4)
	for dy := range dh {
		y0 := b.Min.Y + dy*ky
		rows := min(ky, b.Max.Y-y0)
		draw.Draw(strip, image.Rect(0, 0, sw, rows), src, image.Pt(b.Min.X, y0), draw.Src)
		clear(sums)
		for y := range rows {
			row := strip.Pix[y*strip.Stride : y*strip.Stride+sw*4]
			for x := range sw {
				s, p := sums[(x/kx)*4:][:4], row[x*4:][:4]
				s[0] += uint64(p[0])
				s[1] += uint64(p[1])
				s[2] += uint64(p[2])
				s[3] += uint64(p[3])
			}
		}
		out := dst.Pix[dy*dst.Stride:]
		for dx := range dw {
			n := uint64(min(kx, sw-dx*kx) * rows)
			for c := range 4 {
				out[dx*4+c] = uint8((sums[dx*4+c] + n/2) / n)
			}
		}
	}
	return dst
}

// describe names a refused file's type for a person: "a GIF image".
func describe(ct string, data []byte) string {
	head := data[:min(len(data), 1024)]
	if bytes.Contains(bytes.ToLower(head), []byte("<svg")) {
		return "an SVG image"
	}
	mt, _, _ := strings.Cut(ct, ";")
	switch mt {
	case "image/gif":
		return "a GIF image"
	case "image/bmp":
		return "a BMP image"
	case "image/x-icon":
		return "an icon file"
	case "text/html":
		return "an HTML page"
	case "text/xml":
		return "an XML document"
	case "text/plain":
		return "a text file"
	case "application/pdf":
		return "a PDF document"
	case "application/zip", "application/x-gzip", "application/x-rar-compressed":
		return "a compressed archive"
	case "application/postscript":
		return "a PostScript file"
	}
	switch {
	case strings.HasPrefix(mt, "video/"):
		return "a video"
	case strings.HasPrefix(mt, "audio/"):
		return "a sound file"
	case strings.HasPrefix(mt, "font/"):
		return "a font"
	}
	return "of a type that was not recognised"
}

// sizeText writes a byte limit for people: "10 MB", "512 KB".
func sizeText(n int64) string {
	switch {
	case n >= 1<<20 && n%(1<<20) == 0:
		return fmt.Sprintf("%d MB", n>>20)
	case n >= 1<<20:
		return fmt.Sprintf("%.1f MB", float64(n)/(1<<20))
	case n >= 1<<10:
		return fmt.Sprintf("%d KB", n>>10)
	}
	return fmt.Sprintf("%d bytes", n)
}

// megapixels writes a pixel count for people: "40 megapixels".
func megapixels(n int64) string {
	if n%1_000_000 == 0 {
		return fmt.Sprintf("%d megapixels", n/1_000_000)
	}
	return fmt.Sprintf("%.1f megapixels", float64(n)/1e6)
}
