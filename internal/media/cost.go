package media

import (
	"bytes"
	"encoding/binary"
)

// decodeCost is what an image's header says about the memory its
// decoding takes, read before any pixel is decoded.
type decodeCost struct {
	// Peak is the most the decoder holds at once: the decoded image and
	// its working copies (a progressive JPEG's coefficients, an
	// interlaced PNG's passes, a lossless WebP's transforms).
	Peak int64
	// Image is the decoded image, held until it is first shrunk.
	Image int64
	// Depth names what makes the image costly, for the refusal message:
	// "16 bits per channel", "a progressive JPEG", or "".
	Depth string
}

// costOf reads the cost of decoding a w×h image of the given source
// ("jpeg", "png" or "webp") from its header bytes. A header it cannot
// read costs the most any decoder here could take, 16 bytes a pixel;
// the decoder will refuse such a file anyway.
func costOf(source string, data []byte, w, h int) decodeCost {
	px := int64(w) * int64(h)
	var c decodeCost
	ok := false
	switch source {
	case "png":
		c, ok = pngCost(data, px)
	case "jpeg":
		c, ok = jpegCost(data, w, h)
	case "webp":
		c, ok = webpCost(data, w, h)
	}
	if !ok {
		return decodeCost{Peak: 16 * px, Image: 8 * px}
	}
	return c
}

// pngCost follows image/png: gray and paletted images take 1 byte a
// pixel (2 at 16 bits), colour or transparency 4 (8 at 16 bits). Adam7
// interlacing decodes each pass into an image of its own before merging
// it, the largest half the size of the whole.
func pngCost(data []byte, px int64) (decodeCost, bool) {
	if len(data) < 33 || string(data[12:16]) != "IHDR" {
		return decodeCost{}, false
	}
	depth, colour, interlaced := data[24], data[25], data[28] == 1
	trns := pngHasChunk(data, "tRNS")
	var bpp int64
	switch colour {
	case 0: // gray
		bpp = 1
		if trns {
			bpp = 4
		}
	case 3: // paletted, whatever its depth
		bpp = 1
	case 2, 4, 6: // RGB, gray with alpha, RGBA
		bpp = 4
	default:
		return decodeCost{}, false
	}
	c := decodeCost{}
	if depth == 16 {
		bpp *= 2
		c.Depth = "16 bits per channel"
	}
	c.Image = bpp * px
	c.Peak = c.Image
	if interlaced {
		c.Peak += c.Image / 2
	}
	return c, true
}

// pngHasChunk reports whether a chunk of type typ comes before the
// first IDAT.
func pngHasChunk(data []byte, typ string) bool {
	for p := 8; p+8 <= len(data); {
		n := int64(binary.BigEndian.Uint32(data[p:]))
		t := string(data[p+4 : p+8])
		if t == typ {
			return true
		}
		if t == "IDAT" || n > int64(len(data)) {
			return false
		}
		p += 12 + int(n)
	}
	return false
}

// jpegCost follows image/jpeg: each component is a plane of one byte a
// sample at its own sampling, rounded up to whole blocks; a progressive
// JPEG also keeps every coefficient of every plane as an int32 (4 bytes
// a sample) until the last scan; four components (CMYK) and RGB JPEGs
// are converted into a new 4-byte-a-pixel image at the end.
func jpegCost(data []byte, w, h int) (decodeCost, bool) {
	if len(data) < 4 || data[0] != 0xFF || data[1] != 0xD8 {
		return decodeCost{}, false
	}
	adobeRGB := false
	for p := 2; p+4 <= len(data); {
		if data[p] != 0xFF {
			return decodeCost{}, false
		}
		marker := data[p+1]
		if marker == 0xFF {
			p++
			continue
		}
		if marker == 0xD8 || marker == 0x01 || (marker >= 0xD0 && marker <= 0xD7) {
			p += 2
			continue
		}
		if marker == 0xDA || marker == 0xD9 {
			return decodeCost{}, false // no frame header before the scan
		}
		n := int(binary.BigEndian.Uint16(data[p+2:]))
		if n < 2 || p+2+n > len(data) {
			return decodeCost{}, false
		}
		seg := data[p+4 : p+2+n]
		switch marker {
		case 0xEE: // Adobe: transform 0 means RGB
			if len(seg) >= 12 && bytes.HasPrefix(seg, []byte("Adobe")) && seg[11] == 0 {
				adobeRGB = true
			}
		case 0xC0, 0xC1, 0xC2:
			return sofCost(seg, w, h, marker == 0xC2, adobeRGB)
		}
		p += 2 + n
	}
	return decodeCost{}, false
}

// sofCost reads a start-of-frame segment.
func sofCost(seg []byte, w, h int, progressive, adobeRGB bool) (decodeCost, bool) {
	if len(seg) < 6 {
		return decodeCost{}, false
	}
	nc := int(seg[5])
	if nc < 1 || len(seg) < 6+3*nc {
		return decodeCost{}, false
	}
	hmax, vmax := 1, 1
	type comp struct{ id, h, v int }
	comps := make([]comp, nc)
	for i := range comps {
		b := seg[6+3*i:]
		comps[i] = comp{int(b[0]), max(1, int(b[1]>>4)), max(1, int(b[1]&15))}
		hmax, vmax = max(hmax, comps[i].h), max(vmax, comps[i].v)
	}
	// MCUs across and down, as the decoder counts them.
	mxx := int64((w + 8*hmax - 1) / (8 * hmax))
	myy := int64((h + 8*vmax - 1) / (8 * vmax))
	var samples int64
	for _, c := range comps {
		samples += mxx * myy * int64(c.h*c.v) * 64
	}
	var c decodeCost
	c.Image = samples
	c.Peak = samples
	if progressive {
		c.Peak += 4 * samples
		c.Depth = "a progressive JPEG"
	}
	px := int64(w) * int64(h)
	rgb := nc == 3 && (adobeRGB || (comps[0].id == 'R' && comps[1].id == 'G' && comps[2].id == 'B'))
	if nc == 4 || rgb {
		c.Peak += 4 * px
		c.Image = 4 * px
	}
	return c, true
}

// webpCost follows golang.org/x/image/webp: a lossy image is YCbCr 4:2:0
// in whole macroblocks (1.5 bytes a pixel); its alpha, when compressed,
// is decoded as a lossless image first (4 bytes a pixel, 8 while its
// transforms run), then kept as 1 byte a pixel; a lossless image is
// 4 bytes a pixel, 8 while its transforms run.
func webpCost(data []byte, w, h int) (decodeCost, bool) {
	if len(data) < 16 || string(data[:4]) != "RIFF" || string(data[8:12]) != "WEBP" {
		return decodeCost{}, false
	}
	px := int64(w) * int64(h)
	lossy := int64((w+15)/16*16) * int64((h+15)/16*16) * 3 / 2
	alpha := false
	for p := 12; p+8 <= len(data); {
		typ := string(data[p : p+4])
		n := int64(binary.LittleEndian.Uint32(data[p+4:]))
		switch typ {
		case "ALPH":
			alpha = true
		case "VP8 ":
			if alpha {
				return decodeCost{Peak: max(9*px, lossy+px), Image: lossy + px}, true
			}
			return decodeCost{Peak: lossy, Image: lossy}, true
		case "VP8L":
			return decodeCost{Peak: 8 * px, Image: 4 * px}, true
		}
		if n > int64(len(data)) {
			return decodeCost{}, false
		}
		p += 8 + int(n+n&1)
	}
	return decodeCost{}, false
}

// resizeCost is the most memory turning a decoded sw×sh image (EXIF
// orientation o) into its variants holds at once, beside the decoded
// image itself while it is first shrunk: the box filter's strip and
// output, the turned copies, and for each variant the image it is made
// from, its output, the encoded bytes so far, and what scale holds: the
// image scaled across and its bands of scratch space.
func resizeCost(decoded int64, sw, sh, o int) int64 {
	p := planResize(sw, sh, o)
	const rgba = 4
	peak := decoded
	cw, ch := sw, sh
	if p.kx > 1 || p.ky > 1 {
		strip := int64(sw) * int64(p.ky) * rgba
		cw, ch = (sw+p.kx-1)/p.kx, (sh+p.ky-1)/p.ky
		peak = decoded + strip + int64(cw)*int64(ch)*rgba
	}
	cur := decoded // what the variants are made from: the decoded image, if not shrunk
	if p.kx > 1 || p.ky > 1 || o > 1 {
		cur = int64(cw) * int64(ch) * rgba
	}
	if o > 1 {
		// orient copies the image, then writes it turned into another.
		peak = max(peak, decoded+3*cur)
		if o >= 5 {
			cw, ch = ch, cw
		}
	}
	var encoded int64
	for i := len(p.widths) - 1; i >= 0; i-- {
		w, h := p.widths[i], p.heights[i]
		step := cur
		bw, bh := cw, ch
		if kx, ky := max(1, cw/w), max(1, ch/h); kx > 1 || ky > 1 {
			bw, bh = (cw+kx-1)/kx, (ch+ky-1)/ky
			step += int64(bw) * int64(bh) * rgba
		}
		out := int64(w) * int64(h) * rgba
		step += 2 * out // the variant and, at most as big, its encoding
		if bw != w || bh != h {
			// scale's image scaled across, and its bands' scratch space:
			// the last band's may be garbage beside the next one's.
			step += int64(w)*int64(bh)*4 + 2*bandScratch
		}
		peak = max(peak, step+encoded)
		encoded += out
		cur, cw, ch = out, w, h
	}
	return peak
}

// resizePlan is how processData makes an image's variants.
type resizePlan struct {
	widths, heights []int // of the variants, smallest first, upright
	kx, ky          int   // the first box filter's factors, on the image as stored
}

// planResize plans the variants of an sw×sh image stored with EXIF
// orientation o.
func planResize(sw, sh, o int) resizePlan {
	w, h := sw, sh
	if o >= 5 { // turned a quarter: width and height swap
		w, h = sh, sw
	}
	var p resizePlan
	p.widths = variantWidths(w, h)
	p.heights = make([]int, len(p.widths))
	for i, v := range p.widths {
		p.heights[i] = max(1, int((int64(h)*int64(v)+int64(w)/2)/int64(w)))
	}
	lw, lh := p.widths[len(p.widths)-1], p.heights[len(p.heights)-1]
	if o >= 5 {
		lw, lh = lh, lw
	}
	p.kx, p.ky = max(1, sw/lw), max(1, sh/lh)
	return p
}
