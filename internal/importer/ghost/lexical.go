package ghost

import (
	"encoding/json"
	"errors"
	"strconv"
	"strings"
)

// lexNode is a node of a Lexical document (Ghost 5.x's editor): an
// element with children, a text node, or a card, whose payload fields
// sit on the node itself.
type lexNode struct {
	Type     string          `json:"type"`
	Children []lexNode       `json:"children"`
	Text     string          `json:"text"`
	Format   json.RawMessage `json:"format"` // text: a number of bits; elements: an alignment
	Tag      string          `json:"tag"`
	ListType string          `json:"listType"`
	Start    int             `json:"start"`
	card
}

// Text format bits, as Lexical numbers them.
const (
	formatBold = 1 << iota
	formatItalic
	formatStrikethrough
	formatUnderline
	formatCode
	formatSubscript
	formatSuperscript
	formatHighlight
)

// formatTags are the elements of each format bit, outermost first.
var formatTags = []struct {
	bit int
	tag string
}{
	{formatBold, "strong"}, {formatItalic, "em"}, {formatStrikethrough, "s"},
	{formatUnderline, "u"}, {formatCode, "code"}, {formatSubscript, "sub"},
	{formatSuperscript, "sup"}, {formatHighlight, "mark"},
}

var errLexical = errors.New("the post's lexical body is not a Lexical document Ghost writes")

// renderLexical renders a post's lexical field.
func renderLexical(src string) (string, error) {
	var doc struct {
		Root *lexNode `json:"root"`
	}
	if err := json.Unmarshal([]byte(src), &doc); err != nil || doc.Root == nil {
		return "", errLexical
	}
	var o out
	for i := range doc.Root.Children {
		if err := o.lexBlock(&doc.Root.Children[i]); err != nil {
			return "", err
		}
		if err := o.check(); err != nil {
			return "", err
		}
	}
	return o.String(), nil
}

// lexBlock writes a top-level node.
func (o *out) lexBlock(n *lexNode) error {
	switch n.Type {
	case "paragraph", "extended-text":
		if len(n.Children) == 0 {
			return nil // the editor's empty lines
		}
		return o.lexElement("p", n)
	case "heading", "extended-heading":
		tag := strings.ToLower(n.Tag)
		if len(tag) != 2 || tag[0] != 'h' || tag[1] < '1' || tag[1] > '6' {
			tag = "h2"
		}
		return o.lexElement(tag, n)
	case "quote", "extended-quote":
		return o.lexElement("blockquote", n)
	case "aside":
		return o.lexElement("aside", n)
	case "list":
		return o.lexList(n)
	}
	_, err := o.card(n.Type, &n.card)
	return err
}

// lexElement writes <tag>children</tag>.
func (o *out) lexElement(tag string, n *lexNode) error {
	o.WriteString("<" + tag + ">")
	if err := o.lexInline(n.Children); err != nil {
		return err
	}
	o.WriteString("</" + tag + ">\n")
	return nil
}

func (o *out) lexList(n *lexNode) error {
	tag := "ul"
	if n.ListType == "number" || n.Tag == "ol" {
		tag = "ol"
	}
	o.WriteString("<" + tag)
	if tag == "ol" && n.Start > 1 {
		o.attr("start", strconv.Itoa(n.Start))
	}
	o.WriteString(">")
	for i := range n.Children {
		item := &n.Children[i]
		if item.Type != "listitem" {
			continue
		}
		o.WriteString("<li>")
		// A nested list is a list item whose child is a list.
		for j := range item.Children {
			c := &item.Children[j]
			var err error
			if c.Type == "list" {
				err = o.lexList(c)
			} else {
				err = o.lexInline(item.Children[j : j+1])
			}
			if err != nil {
				return err
			}
		}
		o.WriteString("</li>")
	}
	o.WriteString("</" + tag + ">\n")
	return nil
}

// lexInline writes text, links and line breaks.
func (o *out) lexInline(nodes []lexNode) error {
	for i := range nodes {
		n := &nodes[i]
		switch n.Type {
		case "text", "extended-text":
			bits := 0
			if len(n.Format) > 0 && n.Format[0] != '"' {
				if err := json.Unmarshal(n.Format, &bits); err != nil {
					return errLexical
				}
			}
			for _, f := range formatTags {
				if bits&f.bit != 0 {
					o.WriteString("<" + f.tag + ">")
				}
			}
			o.text(n.Text)
			for j := len(formatTags) - 1; j >= 0; j-- {
				if bits&formatTags[j].bit != 0 {
					o.WriteString("</" + formatTags[j].tag + ">")
				}
			}
		case "linebreak":
			o.WriteString("<br>")
		case "tab":
			o.WriteString("\t")
		case "link", "autolink":
			o.WriteString("<a")
			o.attr("href", n.URL)
			o.WriteString(">")
			if err := o.lexInline(n.Children); err != nil {
				return err
			}
			o.WriteString("</a>")
		default:
			// An inline node of an unknown kind keeps its text.
			if err := o.lexInline(n.Children); err != nil {
				return err
			}
		}
	}
	return nil
}
