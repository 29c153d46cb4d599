// Package section describes the hierarchical sections of the paper
// (National > Politics) and the rules for naming them.
package section

import (
	"errors"
	"fmt"
	"strings"
	"unicode/utf8"

	"broadsheet/internal/slug"
)

// Section is one node of the section tree. Path is the slash-joined chain
// of slugs from the top ("national/politics") and is what URLs use.
type Section struct {
	ID       int64
	ParentID int64 // 0 for a top-level section
	Slug     string
	Path     string
	Name     string
	// NameKo is the name Korean pages show; "" when editors gave none,
	// and those pages show Name.
	NameKo      string
	Description string
	Position    int
}

// MaxName bounds a section's names, English and Korean, in characters.
const MaxName = 80

// NameIn is the section's name for readers of lang: the Korean one on
// Korean pages when editors gave one, else the English one.
func (s Section) NameIn(lang string) string {
	if lang == "ko" && s.NameKo != "" {
		return s.NameKo
	}
	return s.Name
}

// ErrNotFound reports a section path or id that does not exist.
var ErrNotFound = errors.New("section not found")

// ErrInUse reports a section that still has articles or children.
var ErrInUse = errors.New("section still has articles or child sections")

// ErrExists reports a section path that is already taken.
var ErrExists = errors.New("a section with that path already exists")

// ParentPath is the path of the parent section, "" for a top-level one.
func (s Section) ParentPath() string {
	i := strings.LastIndexByte(s.Path, '/')
	if i < 0 {
		return ""
	}
	return s.Path[:i]
}

// Tree is the whole section list with lookups by id and path. Sections are
// few (tens), so the web layer loads them all at once and walks them here.
type Tree struct {
	all    []Section
	byID   map[int64]int
	byPath map[string]int
}

// NewTree indexes sections, which must be ordered by position.
func NewTree(all []Section) *Tree {
	t := &Tree{all: all, byID: make(map[int64]int, len(all)), byPath: make(map[string]int, len(all))}
	for i, s := range all {
		t.byID[s.ID] = i
		t.byPath[s.Path] = i
	}
	return t
}

// In is the tree as readers of lang see it: every section's Name is its
// name in that language (NameIn), so whatever draws a name from the tree
// (navigation, breadcrumbs, headings, labels) needs no language of its
// own. Ids, paths and order are the same.
func (t *Tree) In(lang string) *Tree {
	all := make([]Section, len(t.all))
	for i, s := range t.all {
		s.Name = s.NameIn(lang)
		all[i] = s
	}
	return &Tree{all: all, byID: t.byID, byPath: t.byPath}
}

// All is every section, in the order given to NewTree.
func (t *Tree) All() []Section { return t.all }

// ByID finds a section by id.
func (t *Tree) ByID(id int64) (Section, bool) {
	i, ok := t.byID[id]
	if !ok {
		return Section{}, false
	}
	return t.all[i], true
}

// ByPath finds a section by its path.
func (t *Tree) ByPath(path string) (Section, bool) {
	i, ok := t.byPath[path]
	if !ok {
		return Section{}, false
	}
	return t.all[i], true
}

// Top lists the top-level sections in order.
func (t *Tree) Top() []Section { return t.Children(0) }

// Children lists the direct children of the section with id parent.
func (t *Tree) Children(parent int64) []Section {
	var out []Section
	for _, s := range t.all {
		if s.ParentID == parent {
			out = append(out, s)
		}
	}
	return out
}

// Chain is the section and its ancestors, top-level first: the breadcrumb.
func (t *Tree) Chain(id int64) []Section {
	var chain []Section
	for id != 0 {
		s, ok := t.ByID(id)
		if !ok || len(chain) > len(t.all) {
			break
		}
		chain = append([]Section{s}, chain...)
		id = s.ParentID
	}
	return chain
}

// Subtree is the ids of the section and all its descendants.
func (t *Tree) Subtree(id int64) []int64 {
	ids := []int64{id}
	seen := map[int64]bool{id: true} // a corrupt tree with a cycle ends here
	for i := 0; i < len(ids); i++ {
		for _, s := range t.all {
			if s.ParentID == ids[i] && !seen[s.ID] {
				seen[s.ID] = true
				ids = append(ids, s.ID)
			}
		}
	}
	return ids
}

// Validate trims the section's text and names each field that breaks a
// rule; the result is empty when the section is valid.
func (s *Section) Validate() map[string]string {
	fields := map[string]string{}
	if !slug.Valid(s.Slug) {
		fields["slug"] = "must be 1 to 60 lower-case letters, digits and hyphens"
	}
	s.Name = strings.TrimSpace(s.Name)
	if s.Name == "" || utf8.RuneCountInString(s.Name) > MaxName {
		fields["name"] = fmt.Sprintf("must be 1 to %d characters", MaxName)
	}
	s.NameKo = strings.TrimSpace(s.NameKo)
	if utf8.RuneCountInString(s.NameKo) > MaxName || strings.ContainsAny(s.NameKo, "\r\n") {
		fields["name_ko"] = fmt.Sprintf("must be at most %d characters on one line", MaxName)
	}
	s.Description = strings.TrimSpace(s.Description)
	if utf8.RuneCountInString(s.Description) > 500 {
		fields["description"] = "must be at most 500 characters"
	}
	return fields
}

// ErrLoop reports a move that would put a section inside itself.
var ErrLoop = errors.New("a section cannot be moved inside itself")
