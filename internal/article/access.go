package article

import (
	"context"
	"errors"
	"fmt"

	"broadsheet/internal/account"
)

// ErrNoScope is the store's refusal of a list query that does not say
// whose articles it may hold.
var ErrNoScope = errors.New("article list query without a scope")

type scopeKind int

const (
	scopeNone     scopeKind = iota
	scopePublic             // published articles only, as readers see them
	scopeOwn                // one staff member's own articles
	scopeNewsroom           // every article, for a role that may list others'
	scopeSystem             // every article, for loaders acting as nobody
)

// Scope says whose articles a list may hold. The zero Scope is none, and
// the store refuses a query without one, so no list is built without
// deciding who it is for. The newsroom's scopes (a staff member's own
// articles, or everyone's) are set only by Service.List, from the policy.
type Scope struct {
	kind  scopeKind
	staff int64
}

// PublicScope lists published articles only, whatever status the query
// asks for: the reader site's lists, feeds and sitemaps.
func PublicScope() Scope { return Scope{kind: scopePublic} }

// SystemScope lists every article: for the demo loader, tools and tests,
// which act for nobody. A door serving staff lists through Service.List.
func SystemScope() Scope { return Scope{kind: scopeSystem} }

// Limits is what the scope holds the store to: published articles only,
// or only those created by createdBy (when not 0). A query without a
// scope gets ErrNoScope.
func (s Scope) Limits() (publishedOnly bool, createdBy int64, err error) {
	switch s.kind {
	case scopePublic:
		return true, 0, nil
	case scopeOwn:
		return false, s.staff, nil
	case scopeNewsroom, scopeSystem:
		return false, 0, nil
	}
	return false, 0, ErrNoScope
}

// own reports whether actor created a; articles loaded by the demo or an
// import (created by 0) are nobody's.
func own(actor account.Staff, a Article) bool {
	return a.CreatedBy != 0 && a.CreatedBy == actor.ID
}

// Get loads an article for actor under the read rule. An article the
// actor may not read is ErrNotFound, as if it did not exist: a refusal
// would tell a reporter that another's draft is there.
func (s *Service) Get(ctx context.Context, actor account.Staff, id int64) (Article, error) {
	a, err := s.store.Article(ctx, id)
	if err != nil {
		return Article{}, err
	}
	if !May(actor.Role, ActRead, a.Status, own(actor, a)) {
		return Article{}, fmt.Errorf("article %d is not for a %s to read: %w", id, actor.Role, ErrNotFound)
	}
	return a, nil
}

// load is Get followed by the policy's answer for action.
func (s *Service) load(ctx context.Context, actor account.Staff, id int64, action Action) (Article, error) {
	a, err := s.Get(ctx, actor, id)
	if err != nil {
		return Article{}, err
	}
	if err := check(actor, action, a.Status, own(actor, a)); err != nil {
		return Article{}, err
	}
	return a, nil
}

// List is a newest-first page of the articles actor may list: their own
// for a role that does not list others' (reporters), every article for
// one that does. The scope is set here, from the policy; the store
// refuses a query without one.
func (s *Service) List(ctx context.Context, actor account.Staff, q ListQuery) ([]Article, error) {
	q, err := scoped(actor, q)
	if err != nil {
		return nil, err
	}
	list, err := s.store.ListArticles(ctx, q)
	if err != nil {
		return nil, err
	}
	// The scope is coarser than the policy (a role may list others'
	// articles in some states only): the table has the last word.
	kept := list[:0]
	for _, a := range list {
		if May(actor.Role, ActList, a.Status, own(actor, a)) {
			kept = append(kept, a)
		}
	}
	return kept, nil
}

// Count is how many articles List would give actor for q across all its
// pages (q's paging and limit aside), for "page 2 of 7". It counts what
// the scope holds; the policy's last word in List removes nothing the
// scope holds under today's table, so the two agree.
func (s *Service) Count(ctx context.Context, actor account.Staff, q ListQuery) (int, error) {
	q, err := scoped(actor, q)
	if err != nil {
		return 0, err
	}
	return s.store.CountArticles(ctx, q)
}

// scoped checks q and sets its scope from the policy: a role that may
// list others' articles in some state gets the newsroom's, any other the
// actor's own.
func scoped(actor account.Staff, q ListQuery) (ListQuery, error) {
	if !MayAny(actor.Role, ActList) {
		return q, refusal(actor.Role, ActList, "")
	}
	if err := q.check(); err != nil {
		return q, err
	}
	q.Scope = Scope{kind: scopeOwn, staff: actor.ID}
	for _, st := range Statuses {
		if May(actor.Role, ActList, st, false) {
			q.Scope = Scope{kind: scopeNewsroom}
		}
	}
	return q, nil
}

// check is nil when the policy lets actor do action, else ErrForbidden
// with the rule in words.
func check(actor account.Staff, action Action, state Status, own bool) error {
	if May(actor.Role, action, state, own) {
		return nil
	}
	return refusal(actor.Role, action, state)
}

// refusal says, for a person, which rule of the policy refused them.
func refusal(role account.Role, action Action, state Status) error {
	var why string
	switch {
	case role == account.Moderator && action != ActRead:
		why = "moderators look after comments; they read published articles and do not write or list them"
	case action == ActSetTime:
		why = "only editors and admins choose a publication time; an article gets its time when an editor publishes it"
	case action == ActChangeAddress:
		why = "only editors and admins change the address of an article that is no longer a draft"
	case action == ActCreate && (state == Scheduled || state == Published):
		why = "only editors and admins publish or schedule; save the article as a draft and submit it for review"
	case action == ActSchedule || action == ActPublish || action == ActUnpublish:
		why = "only editors and admins publish, schedule or unpublish articles"
	case action == ActCorrect:
		why = "only editors and admins add corrections"
	case action == ActSubmit:
		why = "reporters submit only their own drafts"
	case action == ActEdit || action == ActRestore:
		why = "reporters edit only their own drafts; once submitted, an article is for the editors to change"
	default:
		why = fmt.Sprintf("a %s may not %s this article", role, action)
	}
	return fmt.Errorf("%w: %s", ErrForbidden, why)
}

// Allows reports whether the policy lets actor do action to a, for pages
// that offer only the forms that will be accepted. A new article (ID 0)
// is asked about as the actor's own draft.
func Allows(actor account.Staff, action Action, a Article) bool {
	if a.ID == 0 {
		return May(actor.Role, action, Draft, true)
	}
	return May(actor.Role, action, a.Status, own(actor, a))
}
