package page

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"

	"broadsheet/internal/account"
	"broadsheet/internal/audit"
	"broadsheet/internal/cache"
)

// Store is what the service needs from storage; InTx joins every call
// made with its context into one transaction.
type Store interface {
	InTx(ctx context.Context, fn func(ctx context.Context) error) error
	PageByID(ctx context.Context, id int64) (Page, error)
	PageBySlug(ctx context.Context, slug string) (Page, error)
	CreatePage(ctx context.Context, p *Page) error
	UpdatePage(ctx context.Context, p Page) error
}

// ErrForbidden refuses a change by a role that may not manage pages.
var ErrForbidden = errors.New("only editors and admins manage pages")

// ValidationError maps each invalid field to a message a person can act on.
type ValidationError map[string]string

func (v ValidationError) Error() string {
	return fmt.Sprintf("invalid page: %v", map[string]string(v))
}

// The messages of the refusals a form may want to tell apart from a
// field's plain rule.
const (
	MsgMarkdown    = "could not be read as Markdown"
	MsgPolicyRules = "must keep the numbered rules moderators cite"
	MsgPolicySlug  = "cannot change: the comment rules are read from this page"
)

// Rules are what the service needs from outside the package: this one
// cannot import the article renderer or the comment rules without a
// cycle.
type Rules struct {
	// Render turns Markdown into sanitized HTML.
	Render func(markdown string) (string, error)
	// PolicySlug is the page holding the Standards Board Policy, whose
	// slug is fixed and whose body must keep its numbered rules
	// (PolicyValid): moderators cite them by number.
	PolicySlug  string
	PolicyValid func(markdown string) bool
	// Changed runs after a change to the policy page is committed, so the
	// comment service reads its rules again at once.
	PolicyChanged func()
}

// Input is a page as a form or a request gives it. TitleKo nil keeps
// the Korean title the page has (none for a new page): a request that
// does not know of it leaves it as it is.
type Input struct {
	Slug, Title, Body string
	TitleKo           *string
}

// Service applies the newsroom's rules to static pages for both doors:
// one validation, one permission check, one audit entry in the change's
// transaction.
type Service struct {
	store Store
	log   *audit.Log
	cache cache.Invalidator
	rules Rules
	now   func() time.Time
}

// NewService builds a Service; log and inv may be nil, now nil for the
// wall clock.
func NewService(store Store, log *audit.Log, inv cache.Invalidator, rules Rules, now func() time.Time) *Service {
	if now == nil {
		now = time.Now
	}
	if rules.Render == nil {
		rules.Render = func(string) (string, error) { return "", errors.New("page: no Markdown renderer") }
	}
	return &Service{store: store, log: log, cache: cache.OrNop(inv), rules: rules, now: now}
}

// MayManage reports whether actor may open and change static pages:
// editors and admins.
func MayManage(actor account.Staff) bool { return actor.Role.CanManage() }

func checkRole(actor account.Staff) error {
	if !MayManage(actor) {
		return ErrForbidden
	}
	return nil
}

// rendered is a page body's HTML and what the renderer and the policy's
// rules said of it. It is worked out before the page's transaction
// begins: a render can wait for its turn and take seconds, and SQLite's
// write lock is held from a transaction's first statement.
type rendered struct {
	done     bool   // the body was valid and was rendered
	body     string // the normalized Markdown rendered
	html     string
	refusal  string // the renderer's message for "body"; "" when it rendered
	policyOK bool   // the body has the numbered rules a policy page needs
}

// render renders in's body, as prepare will have normalized it.
func (s *Service) render(in Input) rendered {
	p := Page{Slug: strings.TrimSpace(in.Slug), Title: in.Title, Body: in.Body}
	if p.Normalize()["body"] != "" {
		return rendered{} // prepare refuses the body as it is
	}
	r := rendered{done: true, body: p.Body, policyOK: true}
	html, err := s.rules.Render(p.Body)
	var refused ValidationError
	switch {
	case errors.As(err, &refused) && refused["body"] != "":
		r.refusal = refused["body"] // the renderer's own limit, named
	case err != nil:
		r.refusal = MsgMarkdown
	}
	r.html = html
	// Only a body the renderer took is parsed again for the rules: the
	// renderer's limits stand before every parse.
	if r.refusal == "" && p.Slug == s.rules.PolicySlug && s.rules.PolicyValid != nil {
		r.policyOK = s.rules.PolicyValid(p.Body)
	}
	return r
}

// prepare checks in and puts it, with its rendered body, onto p; old is
// the page's slug before the change, "" for a new page.
func (s *Service) prepare(in Input, old string, p *Page, r rendered) error {
	p.Slug, p.Title, p.Body = strings.TrimSpace(in.Slug), in.Title, in.Body
	if in.TitleKo != nil {
		p.TitleKo = *in.TitleKo
	}
	p.UpdatedAt = s.now().UTC().Truncate(time.Millisecond)
	v := ValidationError(p.Normalize())
	if v["body"] == "" && (!r.done || r.body != p.Body) {
		r = s.render(in) // not rendered for this body: cannot happen, but never store a stale HTML
	}
	if len(v) == 0 {
		if r.refusal != "" {
			v["body"] = r.refusal
		}
		p.BodyHTML = r.html
	}
	policy := s.rules.PolicySlug
	if policy != "" && old == policy && p.Slug != old {
		v["slug"] = MsgPolicySlug
	}
	if policy != "" && p.Slug == policy && v["body"] == "" && r.refusal == "" && !r.policyOK {
		v["body"] = MsgPolicyRules
	}
	if len(v) > 0 {
		return v
	}
	return nil
}

// Audit is a page as the audit log keeps it: the Markdown, not the HTML
// made from it.
func Audit(p Page) map[string]string {
	return map[string]string{"slug": p.Slug, "title": p.Title, "title_ko": p.TitleKo, "body": p.Body}
}

// Create validates in and stores a new page; ErrExists if its slug is
// taken.
func (s *Service) Create(ctx context.Context, actor account.Staff, in Input) (Page, error) {
	if err := checkRole(actor); err != nil {
		return Page{}, err
	}
	var p Page
	if err := s.prepare(in, "", &p, s.render(in)); err != nil {
		return Page{}, err
	}
	err := s.store.InTx(ctx, func(ctx context.Context) error {
		if err := s.store.CreatePage(ctx, &p); err != nil {
			return err
		}
		return s.log.Write(ctx, actor, "page.create", "page", p.ID, p.Title, nil, Audit(p))
	})
	if err != nil {
		return Page{}, err
	}
	s.saved("", p.Slug)
	return p, nil
}

// Update replaces page id with in; its slug may change, except the
// policy page's.
func (s *Service) Update(ctx context.Context, actor account.Staff, id int64, in Input) (Page, error) {
	if err := checkRole(actor); err != nil {
		return Page{}, err
	}
	var before, p Page
	r := s.render(in) // before the transaction: see rendered
	err := s.store.InTx(ctx, func(ctx context.Context) error {
		var err error
		if before, err = s.store.PageByID(ctx, id); err != nil {
			return err
		}
		return s.update(ctx, actor, before, in, &p, r)
	})
	if err != nil {
		return Page{}, err
	}
	s.saved(before.Slug, p.Slug)
	return p, nil
}

func (s *Service) update(ctx context.Context, actor account.Staff, before Page, in Input, p *Page, r rendered) error {
	*p = before
	if err := s.prepare(in, before.Slug, p, r); err != nil {
		return err
	}
	if err := s.store.UpdatePage(ctx, *p); err != nil {
		return err
	}
	return s.log.Write(ctx, actor, "page.update", "page", p.ID, p.Title, Audit(before), Audit(*p))
}

// Put creates the page at in.Slug or replaces the one there; created
// tells which.
func (s *Service) Put(ctx context.Context, actor account.Staff, in Input) (p Page, created bool, err error) {
	if err := checkRole(actor); err != nil {
		return Page{}, false, err
	}
	r := s.render(in) // before the transaction: see rendered
	err = s.store.InTx(ctx, func(ctx context.Context) error {
		before, err := s.store.PageBySlug(ctx, strings.TrimSpace(in.Slug))
		if errors.Is(err, ErrNotFound) {
			created = true
			if err := s.prepare(in, "", &p, r); err != nil {
				return err
			}
			if err := s.store.CreatePage(ctx, &p); err != nil {
				return err
			}
			return s.log.Write(ctx, actor, "page.create", "page", p.ID, p.Title, nil, Audit(p))
		}
		if err != nil {
			return err
		}
		return s.update(ctx, actor, before, in, &p, r)
	})
	if err != nil {
		return Page{}, false, err
	}
	s.saved(p.Slug, p.Slug)
	return p, created, nil
}

// saved tells the reader site, and the comment service if it was the
// policy, about a page that changed, under its old slug and its new one.
func (s *Service) saved(oldSlug, newSlug string) {
	keys := []string{cache.PageKey(newSlug), cache.KeyNav}
	if oldSlug != "" && oldSlug != newSlug {
		keys = append(keys, cache.PageKey(oldSlug))
	}
	s.cache.Invalidate(keys...)
	policy := s.rules.PolicySlug
	if policy != "" && (oldSlug == policy || newSlug == policy) && s.rules.PolicyChanged != nil {
		s.rules.PolicyChanged()
	}
}
