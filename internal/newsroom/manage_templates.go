package newsroom

import (
	"fmt"
	"html/template"
)

// manageTemplateNames are the pages for sections, authors, static pages
// and the site settings; they share the fields in manage_fields.html.
var manageTemplateNames = []string{"sections", "section", "authors", "author", "pages", "page_edit", "site_settings"}

// parseManageTemplates adds the manage pages, drawn inside the newsroom
// layout like the others.
func parseManageTemplates(t *templates) error {
	for _, name := range manageTemplateNames {
		tm, err := template.New(name).Funcs(funcs).ParseFS(templateFS, "templates/layout.html", "templates/forms.html",
			"templates/manage_fields.html", "templates/"+name+".html")
		if err != nil {
			return fmt.Errorf("newsroom: parse %s: %w", name, err)
		}
		t.byName[name] = tm
	}
	return nil
}
