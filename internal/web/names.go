package web

import (
	"broadsheet/internal/i18n"
	"broadsheet/internal/page"
	"broadsheet/internal/section"
)

// names is the navigation as readers of one language see it: every
// section named and every static page titled in that language where
// editors gave one. It is worked out once per navigation memo, not per
// page, and page handlers take it from the layout (tree, Nav, Pages), so
// neither they nor the templates need a language of their own for names.
type names struct {
	tree  *section.Tree
	pages []page.Page
}

// localNames builds the names of every interface language.
func localNames(tree *section.Tree, pages []page.Page) map[string]names {
	out := make(map[string]names, len(i18n.Supported))
	for _, lang := range i18n.Supported {
		pgs := make([]page.Page, len(pages))
		for i, p := range pages {
			p.Title = p.TitleIn(lang)
			pgs[i] = p
		}
		out[lang] = names{tree: tree.In(lang), pages: pgs}
	}
	return out
}

// in is the navigation for readers of lang; a language without names of
// its own gets the stored ones.
func (n *navData) in(lang string) names {
	if l, ok := n.local[lang]; ok {
		return l
	}
	return names{tree: n.tree, pages: n.pages}
}
