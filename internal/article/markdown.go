package article

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"regexp"
	"runtime"
	"time"

	"github.com/microcosm-cc/bluemonday"
	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/extension"
	"github.com/yuin/goldmark/text"
)

// md renders newsroom Markdown. Raw HTML is left out by goldmark's default
// (no html.WithUnsafe), and the output goes through a sanitizer as well, so
// a javascript: link or an event attribute can never reach a page.
// Headings get no generated ids: "## Main" would collide with the page's
// own id="main", which the skip link targets. A paragraph of only an
// image is a figure (figure.go).
var md = goldmark.New(
	goldmark.WithExtensions(extension.GFM, extension.Typographer, figures{}),
)

// ourSrcset is a srcset of the media library's copies only, as
// media.Image.Srcset writes it: bluemonday checks src as an address but
// knows nothing of srcset, whose every entry is one, so only what the
// site itself wrote passes.
var ourSrcset = regexp.MustCompile(`^/media/u/[0-9a-f]+/[1-9][0-9]*\.(?:jpg|png) [1-9][0-9]*w(?:, /media/u/[0-9a-f]+/[1-9][0-9]*\.(?:jpg|png) [1-9][0-9]*w)*$`)

var policy = func() *bluemonday.Policy {
	p := bluemonday.UGCPolicy()
	p.RequireNoFollowOnLinks(false) // newsroom links are editorial, not user content
	// Figures (figure.go): only the classes and attributes the figure
	// renderer writes, each with the values it writes.
	p.AllowAttrs("class").Matching(regexp.MustCompile(`^article-figure$`)).OnElements("figure")
	p.AllowAttrs("class").Matching(regexp.MustCompile(`^(?:caption|credit|visually-hidden)$`)).OnElements("span")
	p.AllowElements("figcaption")
	// Any alt text: bluemonday's own pattern drops one with a question
	// mark or a quotation mark, and with it the description publishing
	// requires. It is an attribute's value, escaped as such.
	p.AllowAttrs("alt").OnElements("img")
	p.AllowAttrs("srcset").Matching(ourSrcset).OnElements("img")
	p.AllowAttrs("sizes").Matching(regexp.MustCompile(`^[a-z0-9(): ,.-]{1,100}$`)).OnElements("img")
	p.AllowAttrs("loading").Matching(regexp.MustCompile(`^(?:lazy|eager)$`)).OnElements("img")
	p.AllowAttrs("decoding").Matching(regexp.MustCompile(`^(?:async|sync|auto)$`)).OnElements("img")
	return p
}()

// MaxHTML bounds what one body renders to. A reference link repeats its
// definition's address at every use, so a short body can otherwise stand
// for hundreds of megabytes of HTML, and writing them takes as long as
// writing any hundreds of megabytes: the parsed body is measured first.
const MaxHTML = 8 << 20

// renders lets at most one render fewer than there are cores (and at
// least one) run at once, so that however many editors preview or save,
// a core is left for readers: a render cannot be interrupted, so it is
// their number that is bounded, and a render waits for its turn. This
// also bounds the memory renders hold at once, about 135 MiB each at
// worst.
var renders = make(chan struct{}, max(1, runtime.GOMAXPROCS(0)-1))

// RenderWait is how long a render waits for its turn before it gives up
// with ErrBusy: the worst body allowed renders in about two seconds, so
// a longer wait means a queue that a flood of previews built, and each
// waiting request would otherwise hold its goroutine until the queue
// drained.
var RenderWait = 15 * time.Second

// ErrBusy refuses a render that waited RenderWait for its turn; the doors
// answer 503 with Retry-After, and nothing was saved.
var ErrBusy = errors.New("the newsroom is busy rendering other articles; try again in a moment")

// RenderMarkdown turns Markdown into sanitized HTML. A body CheckMarkdown
// refuses, or one whose HTML would pass MaxHTML, is a ValidationError on
// "body". Figures get no srcset: it is for text that refers to no
// uploads, or for a caller that has no media library.
func RenderMarkdown(src string) (string, error) {
	return RenderMarkdownWith(context.Background(), src, nil)
}

// RenderMarkdownWith is RenderMarkdown for an article body: every figure
// whose image is an upload gets the resized copies and the size that
// images (nil: none) knows for its address.
func RenderMarkdownWith(ctx context.Context, src string, images ImageResolver) (string, error) {
	if err := CheckMarkdown(src); err != nil {
		return "", err
	}
	if err := takeTurn(); err != nil {
		return "", err
	}
	b := []byte(src)
	doc := md.Parser().Parse(text.NewReader(b))
	if images != nil {
		// The turn is not held while the library is asked: a database
		// that is slow to answer must not hold up every other render.
		<-renders
		err := fillFigures(ctx, doc, images)
		if err == nil {
			err = takeTurn()
		}
		if err != nil {
			return "", err
		}
	} else if err := fillFigures(ctx, doc, nil); err != nil {
		<-renders
		return "", err
	}
	defer func() { <-renders }()
	out := cappedBuffer{limit: MaxHTML}
	if htmlSize(doc) > MaxHTML {
		out.over = true
	}
	var err error
	if !out.over {
		err = md.Renderer().Render(&out, b, doc)
	}
	if out.over {
		return "", ValidationError{"body": fmt.Sprintf("would render to more than %d MiB of HTML (a reference link repeats its address at every use); at most %d MiB are allowed", MaxHTML>>20, MaxHTML>>20)}
	}
	if err != nil {
		return "", err
	}
	return policy.Sanitize(out.buf.String()), nil
}

// takeTurn waits up to RenderWait for a place among renders; the caller
// gives it back with <-renders.
func takeTurn() error {
	wait := time.NewTimer(RenderWait)
	defer wait.Stop()
	select {
	case renders <- struct{}{}:
		return nil
	case <-wait.C:
		return ErrBusy
	}
}

// htmlSize is about what doc renders to: its text, the addresses and
// titles of its links and images, and a few bytes of markup per node.
func htmlSize(doc ast.Node) int {
	size := 0
	_ = ast.Walk(doc, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		if !entering {
			return ast.WalkContinue, nil
		}
		size += 16
		switch n := n.(type) {
		case *ast.Text:
			size += n.Segment.Len()
		case *ast.Link:
			size += len(n.Destination) + len(n.Title)
		case *ast.Image:
			size += len(n.Destination) + len(n.Title)
			for _, a := range n.Attributes() {
				v, _ := a.Value.([]byte)
				size += len(a.Name) + len(v) + 4
			}
		case *Figure:
			size += len(n.Caption) + len(n.Credit) + 64
		}
		return ast.WalkContinue, nil
	})
	return size
}

// cappedBuffer keeps at most limit bytes and refuses the rest, so that an
// oversized render costs time but no memory. It has only Write: a
// WriteString would let bufio write around the limit.
type cappedBuffer struct {
	buf   bytes.Buffer
	limit int
	over  bool
}

var errTooMuchHTML = errors.New("rendered HTML over the limit")

func (b *cappedBuffer) Write(p []byte) (int, error) {
	if b.over || b.buf.Len()+len(p) > b.limit {
		b.over = true
		return 0, errTooMuchHTML
	}
	return b.buf.Write(p)
}

// SanitizeHTML keeps of s only what the article pages allow: the same
// policy every rendered body goes through, so HTML brought in from
// another system (an import) can hold no script, event attribute or
// javascript: link before it is turned into Markdown.
func SanitizeHTML(s string) string { return policy.Sanitize(s) }
