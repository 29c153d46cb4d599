package api

import (
	"context"

	"broadsheet/internal/account"
	"broadsheet/internal/author"
	"broadsheet/internal/page"
	"broadsheet/internal/redirect"
	"broadsheet/internal/section"
	"broadsheet/internal/site"
	"broadsheet/internal/webhook"
)

// Manage holds the services the API changes sections, authors, static
// pages, the site settings and the fronts' picks through: the same ones
// the newsroom's pages use, so both doors check, refuse and audit alike.
type Manage struct {
	Sections sectionService
	Authors  authorService
	Pages    pageService
	Site     siteService
	Front    frontService
	Webhooks *webhook.Service
	// Redirects is the one door to redirects made by hand, which the
	// newsroom's redirects page goes through too.
	Redirects *redirect.Service
}

type sectionService interface {
	Create(ctx context.Context, actor account.Staff, in section.Input) (section.Section, error)
	Update(ctx context.Context, actor account.Staff, id int64, in section.Input) (section.Section, error)
	Delete(ctx context.Context, actor account.Staff, id int64) error
}

type authorService interface {
	Create(ctx context.Context, actor account.Staff, in author.Input) (author.Author, error)
	Update(ctx context.Context, actor account.Staff, id int64, in author.Input) (author.Author, error)
}

type pageService interface {
	Put(ctx context.Context, actor account.Staff, in page.Input) (page.Page, bool, error)
}

type siteService interface {
	Change(ctx context.Context, actor account.Staff, name, locale, timeZone *string) (site.Settings, error)
}

type frontService interface {
	SetTopStories(ctx context.Context, actor account.Staff, ids []int64) error
}
