package ghost

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"html"
	"strings"

	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/extension"
	gmhtml "github.com/yuin/goldmark/renderer/html"

	"broadsheet/internal/article"
)

// The renderers below turn Ghost's editor documents into HTML for posts
// whose export has no html (drafts never rendered, some 2.x exports).
// They write the common kinds of block and card; a card they do not know
// (a signup form, a paywall marker, a product) is left out, never shown
// as its raw data. Text is escaped; addresses, and the HTML of html and
// embed cards, are passed on as Ghost stored them, for the import to
// sanitize as it does every source's HTML.

// errBodyTooLarge refuses a document that renders past article.MaxHTML.
var errBodyTooLarge = fmt.Errorf("the post's body renders to more than %d MiB of HTML", article.MaxHTML>>20)

// out is a renderer's output, refused past article.MaxHTML.
type out struct {
	strings.Builder
}

func (o *out) check() error {
	if o.Len() > article.MaxHTML {
		return errBodyTooLarge
	}
	return nil
}

// text writes s escaped.
func (o *out) text(s string) { o.WriteString(html.EscapeString(s)) }

// attr writes ` name="value"` with value escaped, or nothing when value
// is "".
func (o *out) attr(name, value string) {
	if value == "" {
		return
	}
	o.WriteString(" " + name + `="` + html.EscapeString(value) + `"`)
}

// md renders a Markdown card the way Ghost does: CommonMark with tables,
// strikethrough and footnotes, raw HTML kept.
var md = goldmark.New(
	goldmark.WithExtensions(extension.GFM, extension.Footnote),
	goldmark.WithRendererOptions(gmhtml.WithUnsafe()),
)

func (o *out) markdown(src string) error {
	if err := article.CheckMarkdown(src); err != nil {
		return fmt.Errorf("a Markdown card cannot be rendered: %v", err)
	}
	var b bytes.Buffer
	if err := md.Convert([]byte(src), &b); err != nil {
		return fmt.Errorf("a Markdown card cannot be rendered: %v", err)
	}
	if b.Len() > article.MaxHTML {
		return errBodyTooLarge
	}
	o.Write(b.Bytes())
	if !bytes.HasSuffix(b.Bytes(), []byte("\n")) {
		o.WriteString("\n")
	}
	return nil
}

// figure writes an image with its alt text and caption (HTML in Ghost).
func (o *out) figure(src, alt, title, caption, href string) {
	if src == "" {
		return
	}
	o.WriteString("<figure>")
	if href != "" {
		o.WriteString("<a")
		o.attr("href", href)
		o.WriteString(">")
	}
	o.WriteString("<img")
	o.attr("src", src)
	o.WriteString(` alt="` + html.EscapeString(alt) + `"`)
	o.attr("title", title)
	o.WriteString(">")
	if href != "" {
		o.WriteString("</a>")
	}
	if caption != "" {
		o.WriteString("<figcaption>" + caption + "</figcaption>")
	}
	o.WriteString("</figure>\n")
}

func (o *out) code(code, language string) {
	o.WriteString("<pre><code")
	if language != "" {
		o.attr("class", "language-"+language)
	}
	o.WriteString(">")
	o.text(code)
	o.WriteString("</code></pre>\n")
}

// mobiledoc is Ghost 1.x–4.x's document format (version 0.3.x).
type mobiledoc struct {
	Atoms    []json.RawMessage   `json:"atoms"`
	Cards    []json.RawMessage   `json:"cards"`
	Markups  [][]json.RawMessage `json:"markups"`
	Sections []json.RawMessage   `json:"sections"`
}

// card is a card's payload, as far as the renderers read it: the same
// names serve Mobiledoc and Lexical.
type card struct {
	Markdown string `json:"markdown"`
	HTML     string `json:"html"`
	Src      string `json:"src"`
	Alt      string `json:"alt"`
	AltText  string `json:"altText"`
	Title    string `json:"title"`
	Caption  string `json:"caption"`
	Href     string `json:"href"`
	URL      string `json:"url"`
	Code     string `json:"code"`
	Language string `json:"language"`
	Images   []card `json:"images"`
	Metadata struct {
		Title       string `json:"title"`
		Description string `json:"description"`
	} `json:"metadata"`
}

// renderCard writes one of the card kinds Ghost's editors share; it
// reports false for a kind it does not know.
func (o *out) card(name string, c *card) (bool, error) {
	switch name {
	case "markdown", "card-markdown":
		return true, o.markdown(c.Markdown)
	case "html":
		o.WriteString(c.HTML)
		o.WriteString("\n")
	case "image":
		o.figure(c.Src, cmpOr(c.Alt, c.AltText), c.Title, c.Caption, c.Href)
	case "hr", "horizontalrule":
		o.WriteString("<hr>\n")
	case "embed":
		if c.HTML == "" && c.URL == "" {
			return true, nil
		}
		o.WriteString("<figure>")
		if c.HTML != "" {
			o.WriteString(c.HTML)
		} else {
			o.WriteString("<a")
			o.attr("href", c.URL)
			o.WriteString(">")
			o.text(c.URL)
			o.WriteString("</a>")
		}
		if c.Caption != "" {
			o.WriteString("<figcaption>" + c.Caption + "</figcaption>")
		}
		o.WriteString("</figure>\n")
	case "code", "codeblock":
		o.code(c.Code, c.Language)
	case "gallery":
		for _, img := range c.Images {
			o.figure(img.Src, cmpOr(img.Alt, img.AltText), img.Title, img.Caption, "")
		}
		if c.Caption != "" {
			o.WriteString("<p>" + c.Caption + "</p>\n")
		}
	case "bookmark":
		if c.URL == "" {
			return true, nil
		}
		o.WriteString("<figure><a")
		o.attr("href", c.URL)
		o.WriteString(">")
		o.text(cmpOr(c.Metadata.Title, c.URL))
		o.WriteString("</a>")
		if c.Metadata.Description != "" {
			o.WriteString("<p>")
			o.text(c.Metadata.Description)
			o.WriteString("</p>")
		}
		if c.Caption != "" {
			o.WriteString("<figcaption>" + c.Caption + "</figcaption>")
		}
		o.WriteString("</figure>\n")
	default:
		return false, nil
	}
	return true, nil
}

func cmpOr(a, b string) string {
	if a != "" {
		return a
	}
	return b
}

// Mobiledoc section types.
const (
	sectionMarkup = 1
	sectionImage  = 2
	sectionList   = 3
	sectionCard   = 10
)

var errMobiledoc = errors.New("the post's mobiledoc body is not a Mobiledoc document Ghost writes")

// renderMobiledoc renders a post's mobiledoc field.
func renderMobiledoc(src string) (string, error) {
	var doc mobiledoc
	if err := json.Unmarshal([]byte(src), &doc); err != nil {
		return "", errMobiledoc
	}
	var o out
	for _, raw := range doc.Sections {
		var sec []json.RawMessage
		if err := json.Unmarshal(raw, &sec); err != nil || len(sec) < 2 {
			return "", errMobiledoc
		}
		var kind int
		if err := json.Unmarshal(sec[0], &kind); err != nil {
			return "", errMobiledoc
		}
		switch kind {
		case sectionMarkup:
			var tag string
			if len(sec) < 3 || json.Unmarshal(sec[1], &tag) != nil {
				return "", errMobiledoc
			}
			tag = blockTag(strings.ToLower(tag))
			var inner out
			if err := doc.markers(&inner, sec[2]); err != nil {
				return "", err
			}
			if inner.Len() == 0 && tag == "p" {
				continue // the editor's empty lines
			}
			o.WriteString("<" + tag + ">" + inner.String() + "</" + tag + ">\n")
		case sectionList:
			var tag string
			var items []json.RawMessage
			if len(sec) < 3 || json.Unmarshal(sec[1], &tag) != nil || json.Unmarshal(sec[2], &items) != nil {
				return "", errMobiledoc
			}
			if tag = strings.ToLower(tag); tag != "ol" {
				tag = "ul"
			}
			o.WriteString("<" + tag + ">")
			for _, item := range items {
				o.WriteString("<li>")
				if err := doc.markers(&o, item); err != nil {
					return "", err
				}
				o.WriteString("</li>")
			}
			o.WriteString("</" + tag + ">\n")
		case sectionImage:
			var src string
			if json.Unmarshal(sec[1], &src) != nil {
				return "", errMobiledoc
			}
			o.figure(src, "", "", "", "")
		case sectionCard:
			var i int
			if json.Unmarshal(sec[1], &i) != nil || i < 0 || i >= len(doc.Cards) {
				return "", errMobiledoc
			}
			var pair []json.RawMessage
			var name string
			if json.Unmarshal(doc.Cards[i], &pair) != nil || len(pair) == 0 || json.Unmarshal(pair[0], &name) != nil {
				return "", errMobiledoc
			}
			var c card
			if len(pair) > 1 {
				if err := json.Unmarshal(pair[1], &c); err != nil {
					return "", errMobiledoc
				}
			}
			if _, err := o.card(name, &c); err != nil {
				return "", err
			}
		default:
			return "", errMobiledoc
		}
		if err := o.check(); err != nil {
			return "", err
		}
	}
	return o.String(), nil
}

// blockTag is the HTML element of a markup section: Ghost writes p, h1–h6,
// blockquote and aside (a pull quote); anything else is a paragraph.
func blockTag(tag string) string {
	switch tag {
	case "p", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "aside":
		return tag
	case "pull-quote":
		return "aside"
	}
	return "p"
}

// inlineTags are the markups written as themselves; a link keeps its
// href and rel. Any other markup keeps its text without the element.
var inlineTags = map[string]bool{
	"a": true, "b": true, "strong": true, "i": true, "em": true, "u": true,
	"s": true, "strike": true, "del": true, "code": true, "sub": true, "sup": true, "mark": true,
}

// markers writes a markup section's or list item's markers: each is
// [type, opened markups, how many markups it closes, text or atom].
func (doc *mobiledoc) markers(o *out, raw json.RawMessage) error {
	var markers [][]json.RawMessage
	if err := json.Unmarshal(raw, &markers); err != nil {
		return errMobiledoc
	}
	var open []string
	for _, m := range markers {
		if len(m) < 4 {
			return errMobiledoc
		}
		var kind, closes int
		var opens []int
		if json.Unmarshal(m[0], &kind) != nil || json.Unmarshal(m[1], &opens) != nil || json.Unmarshal(m[2], &closes) != nil {
			return errMobiledoc
		}
		for _, i := range opens {
			if i < 0 || i >= len(doc.Markups) || len(doc.Markups[i]) == 0 {
				return errMobiledoc
			}
			mk := doc.Markups[i]
			var tag string
			if json.Unmarshal(mk[0], &tag) != nil {
				return errMobiledoc
			}
			tag = strings.ToLower(tag)
			if !inlineTags[tag] {
				open = append(open, "")
				continue
			}
			open = append(open, tag)
			o.WriteString("<" + tag)
			if tag == "a" && len(mk) > 1 {
				var attrs []string
				if json.Unmarshal(mk[1], &attrs) != nil {
					return errMobiledoc
				}
				for j := 0; j+1 < len(attrs); j += 2 {
					if name := strings.ToLower(attrs[j]); name == "href" || name == "rel" {
						o.attr(name, attrs[j+1])
					}
				}
			}
			o.WriteString(">")
		}
		switch kind {
		case 0:
			var s string
			if json.Unmarshal(m[3], &s) != nil {
				return errMobiledoc
			}
			o.text(s)
		case 1:
			var i int
			if json.Unmarshal(m[3], &i) != nil || i < 0 || i >= len(doc.Atoms) {
				return errMobiledoc
			}
			var atom []json.RawMessage
			var name, value string
			if json.Unmarshal(doc.Atoms[i], &atom) != nil || len(atom) < 2 || json.Unmarshal(atom[0], &name) != nil {
				return errMobiledoc
			}
			_ = json.Unmarshal(atom[1], &value)
			if name == "soft-return" {
				o.WriteString("<br>")
			} else {
				o.text(value)
			}
		default:
			return errMobiledoc
		}
		for ; closes > 0 && len(open) > 0; closes-- {
			if tag := open[len(open)-1]; tag != "" {
				o.WriteString("</" + tag + ">")
			}
			open = open[:len(open)-1]
		}
	}
	for len(open) > 0 {
		if tag := open[len(open)-1]; tag != "" {
			o.WriteString("</" + tag + ">")
		}
		open = open[:len(open)-1]
	}
	return nil
}
