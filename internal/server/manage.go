package server

import (
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
		Render:     article.RenderMarkdown,
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
