package media

import "strings"

// ListQuery selects a page of the library, newest first.
type ListQuery struct {
	// Text, when not empty, keeps the images whose alt text, caption or
	// credit contains it, ignoring case (of ASCII letters).
	Text   string
	Limit  int // 1 to MaxPageSize; other values mean MaxPageSize
	Offset int
}

// MaxPageSize bounds a page of the library.
const MaxPageSize = 100

// Use is an article or static page that shows an image: as its lead image
// or anywhere in its body's Markdown.
type Use struct {
	Kind   string // UseArticle or UsePage
	ID     int64
	Title  string // the headline, or the page's title
	Status string // the article's status; "" for a page
	// CreatedBy is the staff member who created the article (0 for a
	// page, or an article whose creator is gone): the article policy's
	// read rule depends on it.
	CreatedBy int64
}

// The kinds of Use.
const (
	UseArticle = "article"
	UsePage    = "page"
)

// UsePattern is what an article's or page's text contains where it shows
// the image stored under key: the folder of its variants, "/media/u/<id>/".
// The key is lower-case hex after "u/", so the pattern holds none of LIKE's
// wildcards.
func UsePattern(key string) string {
	return URLPrefix + key + "/"
}

// FigureMarkdown is the Markdown of a figure showing the image at url with
// d: `![Alt](url "Caption | Credit")`, alone in its paragraph. The title
// is left out when there is neither caption nor credit; `"` and `\` in it,
// and `[`, `]` and `\` in the alt text, are escaped with a backslash, and
// line breaks become spaces. The editor's script writes the same.
func FigureMarkdown(url string, d Details) string {
	oneLine := strings.NewReplacer("\r\n", " ", "\r", " ", "\n", " ")
	alt := strings.NewReplacer(`\`, `\\`, `[`, `\[`, `]`, `\]`).Replace(oneLine.Replace(d.Alt))
	title := oneLine.Replace(d.Caption)
	if c := oneLine.Replace(d.Credit); c != "" {
		title += " | " + c
	}
	out := "![" + alt + "](" + url
	if title != "" {
		out += ` "` + strings.NewReplacer(`\`, `\\`, `"`, `\"`).Replace(title) + `"`
	}
	return out + ")"
}
