package article

import (
	"fmt"
	"strings"
)

// Limits on the shape of Markdown. goldmark's time grows with the square of
// how deeply blocks nest and of how many inline marks wait for a partner
// in one paragraph, and a table's every row gets as many cells as its
// header: a body within MaxBody could otherwise take minutes to render or
// render to gigabytes. checkShape refuses such a body before the parser
// sees it, in one pass over the text.
const (
	// MaxNesting bounds block quotes and list items inside each other.
	// Real articles rarely go past five.
	MaxNesting = 100
	// MaxInlineWork bounds what goldmark's inline parser may have to scan
	// again: emphasis runs (*, _, ~), backtick runs, brackets, angle
	// brackets and quotation marks that find no partner are each looked
	// for across the rest of their paragraph. It is counted as the number
	// of such marks in a paragraph times the paragraph's bytes, summed
	// over the body. A 512 KiB article of paragraphs of 600 bytes, each
	// with two links, two emphases and two quotations, counts about 7
	// million.
	MaxInlineWork = 50_000_000
	// MaxTableColumns bounds a table's columns and MaxTableCells the cells
	// of all a body's tables: every row gets as many cells as its header,
	// whatever the row holds, and rows count up to the next blank line.
	MaxTableColumns = 100
	MaxTableCells   = 100_000
)

// CheckMarkdown tells whether src is a size and shape of Markdown the
// site renders in bounded time. The error, a ValidationError on "body",
// names the limit and the line that breaks it. Every door that renders
// Markdown asks it, through Input.Normalize or RenderMarkdown, so that a
// preview is bounded as a save is.
func CheckMarkdown(src string) error {
	if len(src) > MaxBody {
		return ValidationError{"body": bodyTooLong}
	}
	if msg := checkShape(src); msg != "" {
		return ValidationError{"body": msg}
	}
	return nil
}

// checkShape is the single linear pass behind CheckMarkdown. It errs on
// the side of counting: indentation counts as nesting (every nested list
// indents its items by at least two columns) and paragraphs are taken to
// run from blank line to blank line, so what goldmark nests or pairs is
// never more than what is counted here.
func checkShape(src string) string {
	// marks and size are the current paragraph's, work the paragraphs'
	// before it.
	marks, size, work := 0, 0, 0
	cells, tableCols := 0, 0
	for n := 1; src != ""; n++ {
		line := src
		if i := strings.IndexByte(src, '\n'); i >= 0 {
			line, src = src[:i], src[i+1:]
		} else {
			src = ""
		}
		depth, rest := nesting(line)
		if depth > MaxNesting {
			return fmt.Sprintf("nests block quotes, lists or indentation %d levels deep on line %d; at most %d levels are allowed", depth, n, MaxNesting)
		}
		if endsParagraph(line, rest) {
			work += marks * size
			marks, size = 0, 0
		}
		if strings.TrimSpace(line) == "" {
			tableCols = 0
			continue
		}
		marks += inlineMarks(line)
		size += len(line) + 1
		if work+marks*size > MaxInlineWork {
			return fmt.Sprintf("has too many emphasis marks, brackets or angle brackets in long paragraphs to render (by line %d): each mark counts once for every byte of its paragraph, and at most %d million are allowed in all; blank lines between paragraphs, or fewer marks, will do", n, MaxInlineWork/1_000_000)
		}
		if tableCols > 0 {
			cells += tableCols
		}
		if c := delimiterRow(rest); c > 0 {
			if c > MaxTableColumns {
				return fmt.Sprintf("has a table of %d columns on line %d; at most %d are allowed", c, n, MaxTableColumns)
			}
			tableCols = max(tableCols, c)
			cells += 2 * c // the header and this row
		}
		if cells > MaxTableCells {
			return fmt.Sprintf("has tables of more than %d cells in all by line %d; at most %d are allowed (every row counts as many cells as its table has columns)", MaxTableCells, n, MaxTableCells)
		}
	}
	return ""
}

// endsParagraph is true for a line that surely ends the paragraph before
// it, wherever that paragraph is: a blank line, a line of nothing but
// block-quote marks, or a list item with text (which may interrupt a
// paragraph when bulleted or numbered 1). Any other line may continue a
// paragraph, if only lazily, and is counted as part of it. The indent of
// at most three spaces keeps out indented code, which continues a
// paragraph as text.
func endsParagraph(line, rest string) bool {
	if strings.TrimSpace(line) == "" {
		return true
	}
	trimmed := strings.TrimLeft(line, " ")
	if len(line)-len(trimmed) > 3 {
		return false
	}
	if strings.Trim(trimmed, "> \t") == "" {
		return true
	}
	if strings.TrimSpace(rest) == "" {
		return false
	}
	item := strings.TrimSuffix(trimmed, rest)
	for _, m := range []string{"- ", "* ", "+ ", "1. ", "1) ", "-\t", "*\t", "+\t", "1.\t", "1)\t"} {
		if strings.HasPrefix(item, m) && strings.Trim(item[len(m):], " \t") == "" {
			return true
		}
	}
	return false
}

// nesting counts the containers a line could open or continue: each ">",
// each list marker ("-", "*", "+", "1.", "1)") and every two columns of
// indentation before them. rest is the line after them.
func nesting(line string) (int, string) {
	depth, col, i := 0, 0, 0
	for i < len(line) {
		switch c := line[i]; {
		case c == ' ':
			col++
			i++
			continue
		case c == '\t':
			col += 4 - col%4
			i++
			continue
		case c == '>':
			depth++
			i++
		case (c == '-' || c == '*' || c == '+') && spaceOrEnd(line, i+1):
			depth++
			i++
		case c >= '0' && c <= '9':
			j := i
			for j < len(line) && j-i < 10 && line[j] >= '0' && line[j] <= '9' {
				j++
			}
			if j < len(line) && (line[j] == '.' || line[j] == ')') && spaceOrEnd(line, j+1) {
				depth++
				i = j + 1
				break
			}
			return depth + col/2, line[i:]
		default:
			return depth + col/2, line[i:]
		}
		depth += col / 2 // indentation before this marker
		col = 0
	}
	return depth + col/2, ""
}

// spaceOrEnd is true after a list marker; "\r" is the end of a line that
// ends in "\r\n".
func spaceOrEnd(s string, i int) bool {
	return i >= len(s) || s[i] == ' ' || s[i] == '\t' || s[i] == '\r'
}

// inlineMarks counts what goldmark's inline parser may look for a partner
// of: runs of *, _, ~ and `, every [, ] and <, and every quotation mark
// the typographer may pair (" always, ' unless it is an apostrophe
// between letters, as in "don't").
func inlineMarks(line string) int {
	n := 0
	for i := 0; i < len(line); i++ {
		switch c := line[i]; c {
		case '[', ']', '<', '"':
			n++
		case '\'':
			if i == 0 || i+1 == len(line) || !asciiAlnum(line[i-1]) || !asciiAlnum(line[i+1]) || isDigit(line[i+1]) {
				n++
			}
		case '*', '_', '~', '`':
			n++
			for i+1 < len(line) && line[i+1] == c {
				i++
			}
		}
	}
	return n
}

func isDigit(c byte) bool { return c >= '0' && c <= '9' }

func asciiAlnum(c byte) bool {
	return isDigit(c) || (c|0x20 >= 'a' && c|0x20 <= 'z')
}

// delimiterRow returns the number of columns of a table's delimiter row,
// such as "| --- | :-: |", or 0 for any other line.
func delimiterRow(s string) int {
	s = strings.TrimSpace(s)
	if !strings.Contains(s, "|") || !strings.Contains(s, "-") {
		return 0
	}
	s = strings.TrimPrefix(strings.TrimSuffix(s, "|"), "|")
	cols := 0
	for cell := range strings.SplitSeq(s, "|") {
		cell = strings.Trim(strings.TrimSpace(cell), ":")
		if cell == "" || strings.Trim(cell, "-") != "" {
			return 0
		}
		cols++
	}
	return cols
}
