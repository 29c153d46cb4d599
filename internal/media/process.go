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
	"strings"

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
)

// UploadError is a refused upload: Error is a sentence for the person who
// sent the file, Unwrap gives the kind (ErrTooLarge, ErrUnsupported,
// ErrTooManyPixels or ErrCorrupt).
type UploadError struct {
	Kind error
	Msg  string
}

func (e *UploadError) Error() string { return e.Msg }
func (e *UploadError) Unwrap() error { return e.Kind }

func refuse(kind error, format string, args ...any) error {
	return &UploadError{Kind: kind, Msg: fmt.Sprintf(format, args...)}
}

// Defaults for Limits.
const (
	DefaultMaxBytes  = 10 << 20   // 10 MiB
	DefaultMaxPixels = 40_000_000 // 40 megapixels
	// MaxSide refuses absurd shapes (say 40000×1) that pass the pixel limit.
	MaxSide = 30_000
)

// Limits bound an upload; a zero field takes its default.
type Limits struct {
	MaxBytes  int64
	MaxPixels int64
}

func (l Limits) withDefaults() Limits {
	if l.MaxBytes <= 0 {
		l.MaxBytes = DefaultMaxBytes
	}
	if l.MaxPixels <= 0 {
		l.MaxPixels = DefaultMaxPixels
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
	data, err := io.ReadAll(io.LimitReader(r, lim.MaxBytes+1))
	if err != nil {
		return Result{}, fmt.Errorf("media: read upload: %w", err)
	}
	if int64(len(data)) > lim.MaxBytes {
		return Result{}, refuse(ErrTooLarge, "the file is larger than %s", sizeText(lim.MaxBytes))
	}
	if len(data) == 0 {
		return Result{}, refuse(ErrCorrupt, "the file is empty")
	}

	var res Result
	var decodeConfig func(io.Reader) (image.Config, error)
	var decode func(io.Reader) (image.Image, error)
	switch ct := http.DetectContentType(data); ct {
	case "image/jpeg":
		res.Source, res.Ext, res.ContentType = "jpeg", "jpg", "image/jpeg"
		decodeConfig, decode = jpeg.DecodeConfig, jpeg.Decode
	case "image/png":
		res.Source, res.Ext, res.ContentType = "png", "png", "image/png"
		decodeConfig, decode = png.DecodeConfig, png.Decode
	case "image/webp":
		res.Source, res.Ext, res.ContentType = "webp", "jpg", "image/jpeg"
		decodeConfig, decode = webp.DecodeConfig, webp.Decode
	default:
		return Result{}, refuse(ErrUnsupported, "only JPEG, PNG and WebP images can be uploaded; this file is %s", describe(ct, data))
	}

	// The header alone says how big the decoded image would be: refuse
	// decompression bombs before allocating anything for their pixels.
	cfg, err := decodeConfig(bytes.NewReader(data))
	if err != nil {
		return Result{}, refuse(ErrCorrupt, "the image could not be read; the file may be damaged or incomplete")
	}
	if cfg.Width <= 0 || cfg.Height <= 0 {
		return Result{}, refuse(ErrCorrupt, "the image has no pixels; the file may be damaged")
	}
	if cfg.Width > MaxSide || cfg.Height > MaxSide {
		return Result{}, refuse(ErrTooManyPixels, "the image is %d × %d pixels; neither side may be over %d", cfg.Width, cfg.Height, MaxSide)
	}
	if px := int64(cfg.Width) * int64(cfg.Height); px > lim.MaxPixels {
		return Result{}, refuse(ErrTooManyPixels, "the image is %d × %d pixels (%s); the limit is %s",
			cfg.Width, cfg.Height, megapixels(px), megapixels(lim.MaxPixels))
	}

	src, err := decodeSafely(decode, data)
	if err != nil {
		return Result{}, refuse(ErrCorrupt, "the image could not be read; the file may be damaged or incomplete")
	}
	b := src.Bounds()
	if b.Dx() != cfg.Width || b.Dy() != cfg.Height {
		return Result{}, refuse(ErrCorrupt, "the image could not be read; its header and its pixels disagree")
	}
	if res.Source == "jpeg" {
		src = orient(src, jpegOrientation(data))
		b = src.Bounds()
	}
	res.Width, res.Height = b.Dx(), b.Dy()

	for _, w := range variantWidths(res.Width) {
		h := max(1, int((int64(res.Height)*int64(w)+int64(res.Width)/2)/int64(res.Width)))
		enc, err := encodeVariant(src, w, h, res.Ext == "png")
		if err != nil {
			return Result{}, fmt.Errorf("media: encode %d px variant: %w", w, err)
		}
		res.Variants = append(res.Variants, Variant{Width: w, Height: h, Data: enc})
	}
	return res, nil
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

// variantWidths lists the widths made for an image w pixels wide.
func variantWidths(w int) []int {
	var out []int
	for _, v := range Widths {
		if v <= w {
			out = append(out, v)
		}
	}
	if len(out) == 0 {
		out = []int{w}
	}
	return out
}

// encodeVariant scales src to w×h and encodes it: PNG keeps transparency,
// JPEG is drawn over white so transparent WebP pixels do not turn black.
func encodeVariant(src image.Image, w, h int, asPNG bool) ([]byte, error) {
	dst := image.NewRGBA(image.Rect(0, 0, w, h))
	op := draw.Src
	if !asPNG {
		draw.Draw(dst, dst.Bounds(), image.NewUniform(color.White), image.Point{}, draw.Src)
		op = draw.Over
	}
	if w == src.Bounds().Dx() && h == src.Bounds().Dy() {
		draw.Draw(dst, dst.Bounds(), src, src.Bounds().Min, op)
	} else {
		draw.CatmullRom.Scale(dst, dst.Bounds(), src, src.Bounds(), op, nil)
	}
	var buf bytes.Buffer
	var err error
	if asPNG {
		err = (&png.Encoder{CompressionLevel: png.BestCompression}).Encode(&buf, dst)
	} else {
		err = jpeg.Encode(&buf, dst, &jpeg.Options{Quality: JPEGQuality})
	}
	return buf.Bytes(), err
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
