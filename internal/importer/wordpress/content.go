package wordpress

import (
	"html"
	"regexp"
	"strings"

	"broadsheet/internal/article"
)

// MaxContent bounds a post's content as WordPress stores it: four times
// what an article's body may be, which no post within that limit exceeds
// (markup and shortcodes included); a larger one is refused before its
// shortcodes are expanded.
const MaxContent = 4 * article.MaxBody

// maxTag bounds how far the end of a shortcode's opening tag is looked
// for.
const maxTag = 16 << 10

var (
	blockComment = regexp.MustCompile(`<!--\s*/?wp:[^>]*?-->`)
	tagRE        = regexp.MustCompile(`(?s)<[^>]*>`)
	scriptRE     = regexp.MustCompile(`(?is)<(script|style)\b.*?</(script|style)\s*>`)
	imgRE        = regexp.MustCompile(`(?is)<img\b[^>]*>`)
	attrRE       = regexp.MustCompile(`([a-zA-Z_:][-a-zA-Z0-9_:.]*)\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'>\]]+))`)
	blankLines   = regexp.MustCompile(`\n\s*\n`)
	blockStart   = regexp.MustCompile(`(?i)^<(?:p|div|h[1-6]|ul|ol|li|blockquote|figure|table|thead|tbody|tr|td|th|pre|hr|section|article|aside|header|footer|dl|dt|dd|address|form|iframe|video|audio|object|embed|img|noscript)\b`)
	bareURL      = regexp.MustCompile(`^https?://[^\s<>"]+$`)
)

// stripTags is an HTML fragment's text.
func stripTags(s string) string {
	s = scriptRE.ReplaceAllString(s, " ")
	return html.UnescapeString(tagRE.ReplaceAllString(s, " "))
}

// Content turns a post's content as WordPress stores it into HTML the
// importer can read: Gutenberg's block comments removed, shortcodes
// expanded ([caption] to an image whose title is its caption, which the
// paper draws as a figure with its caption; [gallery] to its images;
// [embed], [video] and [audio] to links; any other shortcode dropped,
// keeping what it encloses), and, for classic posts, paragraphs made of
// blank lines as WordPress's wpautop makes them.
func Content(s string, attachments map[string]attachment) string {
	s = strings.ReplaceAll(s, "\r\n", "\n")
	gutenberg := strings.Contains(s, "<!-- wp:")
	s = blockComment.ReplaceAllString(s, "")
	s = expandShortcodes(s, attachments, 0)
	if !gutenberg {
		s = autop(s)
	}
	return strings.TrimSpace(s)
}

// autop wraps each run of text between blank lines in a paragraph, its
// single line breaks kept as <br>, unless it begins with a block element.
func autop(s string) string {
	var b strings.Builder
	for _, chunk := range blankLines.Split(s, -1) {
		chunk = strings.TrimSpace(chunk)
		if chunk == "" {
			continue
		}
		switch {
		case blockStart.MatchString(chunk):
			b.WriteString(chunk)
		case bareURL.MatchString(chunk):
			// A URL alone on its line is an embed in WordPress: a link here.
			b.WriteString(`<p><a href="` + html.EscapeString(chunk) + `">` + html.EscapeString(chunk) + `</a></p>`)
		default:
			b.WriteString("<p>" + strings.ReplaceAll(chunk, "\n", "<br>\n") + "</p>")
		}
		b.WriteString("\n\n")
	}
	return b.String()
}

// knownShortcodes are expanded; other names in brackets are shortcodes
// only when they look like one (attributes, a closing tag, an underscore),
// so that an editor's "[sic]" or "[1]" stays text.
var knownShortcodes = map[string]bool{"caption": true, "wp_caption": true, "gallery": true, "embed": true,
	"video": true, "audio": true, "playlist": true}

// expandShortcodes replaces every shortcode in s.
func expandShortcodes(s string, attachments map[string]attachment, depth int) string {
	if depth > 10 || !strings.Contains(s, "[") {
		return s
	}
	closers, total := closingNames(s), len(s)
	var b strings.Builder
	for {
		i := strings.IndexByte(s, '[')
		if i < 0 {
			b.WriteString(s)
			break
		}
		b.WriteString(s[:i])
		s = s[i:]
		// [[name]] is WordPress's way to write a shortcode as text.
		if strings.HasPrefix(s, "[[") {
			if j := strings.Index(s[:min(len(s), maxTag)], "]]"); j > 0 {
				b.WriteString(s[1 : j+1])
				s = s[j+2:]
				continue
			}
		}
		name, attrs, end, closing, ok := parseTag(s)
		if !ok {
			b.WriteByte('[')
			s = s[1:]
			continue
		}
		if closing {
			if knownShortcodes[name] || looksLikeShortcode(name, "") {
				s = s[end:] // a closing tag without its opening
				continue
			}
			b.WriteString(s[:end])
			s = s[end:]
			continue
		}
		// The cheap checks first: a bracketed word ("arr[i]") with no
		// closing tag of its name anywhere is text, found without
		// looking for one.
		likely := knownShortcodes[name] || looksLikeShortcode(name, attrs)
		last, closed := closers[name]
		closed = closed && last >= total-len(s)+end
		if !likely && !closed {
			b.WriteByte('[')
			s = s[1:]
			continue
		}
		closeTag := "[/" + name + "]"
		inner, rest, enclosing := "", s[end:], false
		if closed {
			if j := strings.Index(s[end:], closeTag); j >= 0 {
				inner, rest, enclosing = s[end:end+j], s[end+j+len(closeTag):], true
			}
		}
		if !likely && !enclosing {
			b.WriteByte('[')
			s = s[1:]
			continue
		}
		a := parseAttrs(attrs)
		inner = expandShortcodes(inner, attachments, depth+1)
		switch name {
		case "caption", "wp_caption":
			b.WriteString(caption(inner, a))
		case "gallery":
			b.WriteString(gallery(a, attachments))
		case "embed":
			b.WriteString(link(firstNonEmpty(strings.TrimSpace(stripTags(inner)), a["src"], a["url"])))
		case "video", "audio", "playlist":
			b.WriteString(link(firstNonEmpty(a["src"], a["mp4"], a["webm"], a["ogv"], a["mp3"], a["m4a"], a["ogg"], a["wav"],
				strings.TrimSpace(stripTags(inner)))))
		default:
			b.WriteString(inner) // an unknown shortcode: what it encloses, never its brackets
		}
		s = rest
	}
	return b.String()
}

// closingNames are the names of the closing tags ("[/name]") in s, each
// with where its last one starts: past it, none is looked for.
func closingNames(s string) map[string]int {
	out := map[string]int{}
	at := 0
	for {
		i := strings.Index(s[at:], "[/")
		if i < 0 {
			return out
		}
		at += i
		if name, _, end, closing, ok := parseTag(s[at:]); ok && closing {
			out[name] = at
			at += end
			continue
		}
		at += 2
	}
}

func looksLikeShortcode(name, attrs string) bool {
	return strings.ContainsAny(name, "_") || strings.Contains(attrs, "=") || strings.Contains(name, "-")
}

// parseTag reads "[name attrs]" or "[/name]" at the start of s.
func parseTag(s string) (name, attrs string, end int, closing, ok bool) {
	i := 1
	if i < len(s) && s[i] == '/' {
		closing = true
		i++
	}
	start := i
	for i < len(s) && (s[i] >= 'a' && s[i] <= 'z' || s[i] >= 'A' && s[i] <= 'Z' || i > start && (s[i] >= '0' && s[i] <= '9' || s[i] == '_' || s[i] == '-')) {
		i++
	}
	if i == start {
		return "", "", 0, false, false
	}
	name = strings.ToLower(s[start:i])
	j := strings.IndexByte(s[i:min(len(s), i+maxTag)], ']')
	if j < 0 || strings.ContainsAny(s[i:i+j], "[\n") && !strings.Contains(s[i:i+j], "=") {
		return "", "", 0, false, false
	}
	attrs = s[i : i+j]
	if attrs != "" && attrs[0] != ' ' && attrs[0] != '\t' && attrs[0] != '/' {
		return "", "", 0, false, false
	}
	if closing && strings.TrimSpace(attrs) != "" {
		return "", "", 0, false, false
	}
	return name, strings.TrimSuffix(strings.TrimSpace(attrs), "/"), i + j + 1, closing, true
}

func parseAttrs(s string) map[string]string {
	out := map[string]string{}
	for _, m := range attrRE.FindAllStringSubmatch(s, -1) {
		out[strings.ToLower(m[1])] = html.UnescapeString(m[2] + m[3] + m[4])
	}
	return out
}

// caption is an image with its caption as its title: the paper draws a
// paragraph of only an image, titled, as a figure with that caption.
func caption(inner string, a map[string]string) string {
	img := imgRE.FindString(inner)
	if img == "" {
		return "<p>" + inner + "</p>"
	}
	text := strings.TrimSpace(stripTags(imgRE.ReplaceAllString(inner, "")))
	if text == "" {
		text = strings.TrimSpace(a["caption"])
	}
	ia := parseAttrs(img[4 : len(img)-1])
	return "\n\n" + image(ia["src"], ia["alt"], text) + "\n\n"
}

func image(src, alt, title string) string {
	if src == "" {
		return ""
	}
	out := `<p><img src="` + html.EscapeString(src) + `" alt="` + html.EscapeString(strings.Join(strings.Fields(alt), " ")) + `"`
	if title = strings.Join(strings.Fields(title), " "); title != "" {
		out += ` title="` + html.EscapeString(title) + `"`
	}
	return out + "></p>"
}

// gallery is the images a [gallery ids="…"] names, each a figure.
func gallery(a map[string]string, attachments map[string]attachment) string {
	var b strings.Builder
	for _, id := range strings.Split(firstNonEmpty(a["ids"], a["include"]), ",") {
		if at, ok := attachments[strings.TrimSpace(id)]; ok {
			b.WriteString("\n\n" + image(at.URL, at.Alt, at.Caption) + "\n\n")
		}
	}
	return b.String()
}

func link(u string) string {
	if !bareURL.MatchString(u) {
		return ""
	}
	return "\n\n" + `<p><a href="` + html.EscapeString(u) + `">` + html.EscapeString(u) + "</a></p>\n\n"
}

func firstNonEmpty(ss ...string) string {
	for _, s := range ss {
		if strings.TrimSpace(s) != "" {
			return strings.TrimSpace(s)
		}
	}
	return ""
}
