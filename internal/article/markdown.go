package article

import (
	"bytes"
	"errors"
	"fmt"
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
// own id="main", which the skip link targets.
var md = goldmark.New(
	goldmark.WithExtensions(extension.GFM, extension.Typographer),
)

var policy = func() *bluemonday.Policy {
	p := bluemonday.UGCPolicy()
	p.RequireNoFollowOnLinks(false) // newsroom links are editorial, not user content
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
// "body".
func RenderMarkdown(src string) (string, error) {
	if err := CheckMarkdown(src); err != nil {
		return "", err
	}
	wait := time.NewTimer(RenderWait)
	defer wait.Stop()
	select {
	case renders <- struct{}{}:
	case <-wait.C:
		return "", ErrBusy
	}
	defer func() { <-renders }()
	b := []byte(src)
	doc := md.Parser().Parse(text.NewReader(b))
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
