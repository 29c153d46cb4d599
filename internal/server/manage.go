package server

import (
	"errors"
	"time"

	"broadsheet/internal/api"
	"broadsheet/internal/article"
	"broadsheet/internal/audit"
	"broadsheet/internal/author"
	"broadsheet/internal/cache"
	"broadsheet/internal/comment"
	"broadsheet/internal/front"
	"broadsheet/internal/newsroom"
	"broadsheet/internal/page"
	"broadsheet/internal/section"
	"broadsheet/internal/site"
	"broadsheet/internal/store"
)

// manageServices builds the services that change sections, authors,
// static pages, the site settings and the fronts' picks, once, for both
// the API and the newsroom: each door checks, refuses and audits alike.
func manageServices(db *store.DB, log *audit.Log, inv cache.Invalidator, comments *comment.Service, now func() time.Time) (api.Manage, newsroom.ManageServices) {
	sections := section.NewService(db, log, inv)
	authors := author.NewService(db, log, inv)
	pages := page.NewService(db, log, inv, page.Rules{
		Render:     renderPage,
		PolicySlug: comment.PolicySlug,
		// Moderators cite the policy's rules by number.
		PolicyValid:   func(md string) bool { return len(comment.ParsePolicy(md).Rules) > 0 },
		PolicyChanged: comments.Forget,
	}, now)
	// The comment service reads the site's settings too.
	settings := site.NewService(db, log, inv, comments.Forget)
	fronts := front.NewService(db, log, inv)
	return api.Manage{Sections: sections, Authors: authors, Pages: pages, Site: settings, Front: fronts},
		newsroom.ManageServices{Sections: sections, Authors: authors, Pages: pages, Site: settings, Front: fronts}
}

// renderPage renders a static page's Markdown with the articles' renderer
// and its limits; a body it refuses is refused with the same sentence.
func renderPage(md string) (string, error) {
	html, err := article.RenderMarkdown(md)
	var ve article.ValidationError
	if errors.As(err, &ve) && ve["body"] != "" {
		return "", page.ValidationError{"body": ve["body"]}
	}
	return html, err
}
