package article

import (
	"bytes"
	"context"
	"html/template"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/parser"
	"github.com/yuin/goldmark/renderer"
	"github.com/yuin/goldmark/renderer/html"
	"github.com/yuin/goldmark/text"
	"github.com/yuin/goldmark/util"
)

// A paragraph that holds nothing but an image is a figure:
//
//	![Alt text](/media/u/<id>/<w>.jpg "Caption | Credit")
//
// The image's title is the caption, and the part after its last " | " the
// credit. An image inside a sentence stays a plain <img>.

// figureSizes tells the browser how wide a figure is drawn: the article
// column (42em) on wide screens, the whole screen on narrow ones.
const figureSizes = "(min-width: 50em) 42em, 100vw"

// maxFigureLookups bounds the uploads one render asks the media library
// about: a body of thousands of figures would otherwise be as many
// queries. Figures past it are drawn without srcset, as other addresses.
const maxFigureLookups = 200

// KindFigure is the kind of a Figure node.
var KindFigure = ast.NewNodeKind("Figure")

// Figure is a block holding one image, with the caption and credit read
// from the image's title. Its only child is the *ast.Image.
type Figure struct {
	ast.BaseBlock
	Caption, Credit []byte // still Markdown-escaped, as titles are
}

// Kind implements ast.Node.
func (n *Figure) Kind() ast.NodeKind { return KindFigure }

// Dump implements ast.Node.
func (n *Figure) Dump(source []byte, level int) {
	ast.DumpHelper(n, source, level, map[string]string{"Caption": string(n.Caption), "Credit": string(n.Credit)}, nil)
}

// Image is the figure's image.
func (n *Figure) Image() *ast.Image { return n.FirstChild().(*ast.Image) }

// figureTransformer turns every paragraph that holds only an image into a
// Figure.
type figureTransformer struct{}

func (figureTransformer) Transform(doc *ast.Document, _ text.Reader, _ parser.Context) {
	var paras []*ast.Paragraph
	_ = ast.Walk(doc, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		if !entering {
			return ast.WalkContinue, nil
		}
		if p, ok := n.(*ast.Paragraph); ok {
			if _, img := p.FirstChild().(*ast.Image); img && p.ChildCount() == 1 {
				paras = append(paras, p)
			}
			return ast.WalkSkipChildren, nil
		}
		return ast.WalkContinue, nil
	})
	for _, p := range paras {
		img := p.FirstChild().(*ast.Image)
		fig := &Figure{}
		if img.Title != nil {
			fig.Caption = bytes.TrimSpace(img.Title)
			if i := bytes.LastIndex(img.Title, []byte(" | ")); i >= 0 {
				fig.Caption = bytes.TrimSpace(img.Title[:i])
				fig.Credit = bytes.TrimSpace(img.Title[i+3:])
			}
			img.Title = nil // the caption says it; a tooltip would say it twice
		}
		p.RemoveChild(p, img)
		fig.AppendChild(fig, img)
		p.Parent().ReplaceChild(p.Parent(), p, fig)
	}
}

// figureRenderer draws a Figure around the image the default renderer
// draws, then its caption.
type figureRenderer struct{}

func (figureRenderer) RegisterFuncs(reg renderer.NodeRendererFuncRegisterer) {
	reg.Register(KindFigure, renderFigure)
}

func renderFigure(w util.BufWriter, _ []byte, node ast.Node, entering bool) (ast.WalkStatus, error) {
	if entering {
		_, _ = w.WriteString(`<figure class="article-figure">`)
		return ast.WalkContinue, nil
	}
	n := node.(*Figure)
	if len(n.Caption) > 0 || len(n.Credit) > 0 {
		_, _ = w.WriteString("<figcaption>")
		if len(n.Caption) > 0 {
			_, _ = w.WriteString(`<span class="caption">`)
			html.DefaultWriter.Write(w, n.Caption) // unescapes, then escapes for HTML
			_, _ = w.WriteString("</span>")
		}
		if len(n.Credit) > 0 {
			if len(n.Caption) > 0 {
				_, _ = w.WriteString(creditSeparator(string(n.Caption)))
			}
			_, _ = w.WriteString(`<span class="credit">`)
			html.DefaultWriter.Write(w, n.Credit)
			_, _ = w.WriteString("</span>")
		}
		_, _ = w.WriteString("</figcaption>")
	}
	_, _ = w.WriteString("</figure>\n")
	return ast.WalkContinue, nil
}

// creditSeparator goes between a caption and its credit. The credit is
// drawn on a line of its own; for a screen reader, which reads both as
// one, a full stop (unseen) ends a caption that has none, so that
// "Gangnam" and "Photo: Mina Park" are heard as two sentences.
func creditSeparator(caption string) string {
	last, _ := utf8.DecodeLastRuneInString(strings.TrimSpace(caption))
	if last == utf8.RuneError || strings.ContainsRune(".!?:;)\"”’…。", last) {
		return " "
	}
	return `<span class="visually-hidden">. </span>`
}

// CreditSeparator is what goes between the image's caption and credit
// (see creditSeparator), for templates.
func (i Image) CreditSeparator() template.HTML { return template.HTML(creditSeparator(i.Caption)) }

// figures is the goldmark extension for figures.
type figures struct{}

func (figures) Extend(m goldmark.Markdown) {
	m.Parser().AddOptions(parser.WithASTTransformers(util.Prioritized(figureTransformer{}, 500)))
	m.Renderer().AddOptions(renderer.WithNodeRenderers(util.Prioritized(figureRenderer{}, 500)))
}

// fillFigures sets the attributes of every figure's image: the resized
// copies and size of an upload, as images knows them (asked once per
// address), and how the image is laid out and loaded. Other addresses,
// and every address when images is nil, get no srcset or size.
func fillFigures(ctx context.Context, doc ast.Node, images ImageResolver) error {
	type resolved struct {
		srcset string
		w, h   int
		ok     bool
	}
	seen := map[string]resolved{}
	return ast.Walk(doc, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		fig, ok := n.(*Figure)
		if !entering || !ok {
			return ast.WalkContinue, nil
		}
		img := fig.Image()
		url := string(img.Destination)
		res, known := seen[url]
		if !known && images != nil && len(seen) < maxFigureLookups {
			var err error
			res.srcset, res.w, res.h, res.ok, err = images.ResolveImage(ctx, url)
			if err != nil {
				return ast.WalkStop, bodyImageError(url, err)
			}
			seen[url] = res
		}
		if res.ok {
			img.SetAttributeString("srcset", []byte(res.srcset))
		}
		img.SetAttributeString("sizes", []byte(figureSizes))
		if res.ok {
			img.SetAttributeString("width", []byte(strconv.Itoa(res.w)))
			img.SetAttributeString("height", []byte(strconv.Itoa(res.h)))
		}
		img.SetAttributeString("loading", []byte("lazy"))
		img.SetAttributeString("decoding", []byte("async"))
		return ast.WalkSkipChildren, nil
	})
}
