package web

import (
	"bytes"
	"embed"
	"fmt"
	"html/template"
	"strconv"

	"broadsheet/internal/article"
	"broadsheet/internal/comment"
)

//go:embed templates/*.html
var templateFS embed.FS

// templates holds every page's template, parsed once at start-up.
type templates struct {
	byName map[string]*template.Template
}

// pageTemplates are the pages drawn inside the common layout.
var pageTemplates = []string{"home", "section", "article", "author", "tag", "page", "error", "dictionary", "search", "most_read",
	"comments", "account", "policy", "reader", "message", "bilingual"}

// extraTemplates are further files a page's set needs.
var extraTemplates = map[string][]string{"article": {"templates/dictionary_popup.html"},
	"comments": {"templates/policy_rules.html"}, "policy": {"templates/policy_rules.html"}}

func parseTemplates(as *assets) (*templates, error) {
	funcs := template.FuncMap{
		"asset":        as.url,
		"sectionURL":   sectionURL,
		"printURL":     func(a article.Article) string { return a.URL() + "/print" },
		"bilingualURL": bilingualPath,
		"commentHTML":  comment.HTML,
		"item":         func(b *commentsData, c comment.Comment) commentItem { return commentItem{B: b, C: c} },
		"rule": func(b *commentsData, n int) string {
			r := b.Policy.Rule(n)
			return b.L.T("rule_cited", "Number", r.Number, "Text", r.Text)
		},
		"counterOf": func(b *commentsData, id string, withDraft bool) commentCounter {
			n := 0
			if withDraft {
				n = b.DraftLength
			}
			return commentCounter{B: b, ID: id, Count: n}
		},
		"editable": func(b *commentsData, c comment.Comment) bool { return b.Now.Sub(c.CreatedAt) < b.EditWindow },
	}
	t := &templates{byName: map[string]*template.Template{}}
	for _, name := range pageTemplates {
		files := append([]string{"templates/layout.html", "templates/partials.html", "templates/" + name + ".html"}, extraTemplates[name]...)
		tm, err := template.New(name).Funcs(funcs).ParseFS(templateFS, files...)
		if err != nil {
			return nil, fmt.Errorf("web: parse %s: %w", name, err)
		}
		t.byName[name] = tm
	}
	pt, err := template.New("print").Funcs(funcs).ParseFS(templateFS, "templates/partials.html", "templates/print.html")
	if err != nil {
		return nil, fmt.Errorf("web: parse print: %w", err)
	}
	t.byName["print"] = pt
	// The masthead's account fragment stands alone, without the layout.
	am, err := template.New("account_menu").Funcs(funcs).ParseFS(templateFS, "templates/account_menu.html")
	if err != nil {
		return nil, fmt.Errorf("web: parse account_menu: %w", err)
	}
	t.byName["account_menu"] = am
	return t, nil
}

// render executes a page template into bytes; a page is either complete
// or an error, never half written to the client.
func (t *templates) render(name string, data any) ([]byte, error) {
	tm, ok := t.byName[name]
	if !ok {
		return nil, fmt.Errorf("web: no template %q", name)
	}
	entry := "layout"
	if name == "print" {
		entry = "print"
	}
	var buf bytes.Buffer
	buf.Grow(32 << 10)
	if err := tm.ExecuteTemplate(&buf, entry, data); err != nil {
		return nil, fmt.Errorf("web: render %s: %w", name, err)
	}
	return buf.Bytes(), nil
}

// renderBlock executes one block of a page's template set, for the
// fragments that JavaScript loads into a page.
func (t *templates) renderBlock(name, block string, data any) ([]byte, error) {
	tm, ok := t.byName[name]
	if !ok {
		return nil, fmt.Errorf("web: no template %q", name)
	}
	var buf bytes.Buffer
	if err := tm.ExecuteTemplate(&buf, block, data); err != nil {
		return nil, fmt.Errorf("web: render %s/%s: %w", name, block, err)
	}
	return buf.Bytes(), nil
}

// renderPart executes one named template of a page's set, such as a
// fragment rendered once and reused.
func (t *templates) renderPart(set, name string, data any) (template.HTML, error) {
	tm, ok := t.byName[set]
	if !ok {
		return "", fmt.Errorf("web: no template %q", set)
	}
	var buf bytes.Buffer
	if err := tm.ExecuteTemplate(&buf, name, data); err != nil {
		return "", fmt.Errorf("web: render %s/%s: %w", set, name, err)
	}
	return template.HTML(buf.String()), nil // html/template escaped it
}

func sectionURL(path string) string { return "/section/" + path }

func itoa(n int) string { return strconv.Itoa(n) }
