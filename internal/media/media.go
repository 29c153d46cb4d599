// Package media turns uploaded images into safe, resized files: it checks
// what a file is by its content, refuses files and images that are too
// big before decoding them, re-encodes every variant (which drops EXIF and
// all other metadata), stores the files and records the image.
package media

import (
	"errors"
	"strconv"
	"strings"
	"time"
)

// ErrNotFound means no image has the asked-for id or key.
var ErrNotFound = errors.New("media: image not found")

// URLPrefix is where the media folder is served.
const URLPrefix = "/media/"

// Image is one uploaded image, stored as a variant per width under Key.
type Image struct {
	ID          int64
	Key         string // "u/<id>", the prefix of every variant's key
	Ext         string // "jpg" or "png", the variants' file extension
	Width       int    // of the original upload
	Height      int    // of the original upload
	Widths      []int  // of the stored variants, smallest first
	ContentType string // of the variants: "image/jpeg" or "image/png"
	Bytes       int64  // stored for all variants together
	CreatedBy   int64  // staff id; 0 once that staff member is deleted
	CreatedAt   time.Time
	Details     // what the uploader said of it, for reuse
}

// Details are what the library keeps about an image besides its files:
// the alt text, caption and credit it was uploaded with or edited to,
// offered again whenever the image is reused.
type Details struct {
	Alt     string
	Caption string
	Credit  string
}

// VariantKey is the storage key of the variant w pixels wide.
func (im Image) VariantKey(w int) string {
	return im.Key + "/" + strconv.Itoa(w) + "." + im.Ext
}

// VariantURL is the address of the variant w pixels wide. It does not
// check that such a variant exists; see Widths.
func (im Image) VariantURL(w int) string {
	return URLPrefix + im.VariantKey(w)
}

// URL is the address of the largest variant, or "" for an image with none.
func (im Image) URL() string {
	if len(im.Widths) == 0 {
		return ""
	}
	return im.VariantURL(im.Widths[len(im.Widths)-1])
}

// Srcset lists every variant for an <img srcset>:
// "/media/u/x/320.jpg 320w, /media/u/x/640.jpg 640w".
func (im Image) Srcset() string {
	var b strings.Builder
	for i, w := range im.Widths {
		if i > 0 {
			b.WriteString(", ")
		}
		b.WriteString(im.VariantURL(w))
		b.WriteByte(' ')
		b.WriteString(strconv.Itoa(w))
		b.WriteByte('w')
	}
	return b.String()
}

// ParseURL reads an uploaded image's variant address,
// "/media/u/<id>/<w>.<ext>" (the path only, or a full URL whose path is
// that; its host is not checked), and returns the image's key ("u/<id>"),
// the width and the extension. ok is false for any other address.
func ParseURL(u string) (key string, width int, ext string, ok bool) {
	if i := strings.IndexAny(u, "?#"); i >= 0 {
		u = u[:i]
	}
	if i := strings.Index(u, "://"); i >= 0 {
		rest := u[i+3:]
		j := strings.IndexByte(rest, '/')
		if j < 0 {
			return "", 0, "", false
		}
		u = rest[j:]
	}
	rest, found := strings.CutPrefix(u, URLPrefix+"u/")
	if !found {
		return "", 0, "", false
	}
	id, file, found := strings.Cut(rest, "/")
	if !found || !validID(id) {
		return "", 0, "", false
	}
	name, ext, found := strings.Cut(file, ".")
	if !found || (ext != "jpg" && ext != "png") {
		return "", 0, "", false
	}
	w, err := strconv.Atoi(name)
	if err != nil || w <= 0 || strconv.Itoa(w) != name {
		return "", 0, "", false
	}
	return "u/" + id, w, ext, true
}

// validID reports whether id could be an image id: lower-case hex.
func validID(id string) bool {
	if id == "" || len(id) > 64 {
		return false
	}
	for _, c := range []byte(id) {
		if (c < '0' || c > '9') && (c < 'a' || c > 'f') {
			return false
		}
	}
	return true
}
