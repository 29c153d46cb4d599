package article

import (
	"broadsheet/internal/account"
)

// Action is something a staff member does to an article. The policy
// below says, for each, who may do it to which article.
type Action string

// The actions of the policy.
const (
	ActRead          Action = "read"    // see the article, drafts included
	ActList          Action = "list"    // find it in the newsroom's lists
	ActHistory       Action = "history" // see its revisions and their differences
	ActCreate        Action = "create"  // the state is the one the new article asks for
	ActEdit          Action = "edit"
	ActSubmit        Action = "submit"
	ActSchedule      Action = "schedule"
	ActPublish       Action = "publish"
	ActUnpublish     Action = "unpublish"
	ActCorrect       Action = "correct"
	ActRestore       Action = "restore"              // save an earlier revision's text as the newest
	ActSetTime       Action = "set-publication-time" // give published_at a value of one's choosing
	ActChangeAddress Action = "change-address"       // give the article a slug of one's choosing
)

// Actions lists every action, in the order the policy's tests walk them.
var Actions = []Action{ActRead, ActList, ActHistory, ActCreate, ActEdit, ActSubmit, ActSchedule,
	ActPublish, ActUnpublish, ActCorrect, ActRestore, ActSetTime, ActChangeAddress}

// Statuses lists every status, in workflow order.
var Statuses = []Status{Draft, Review, Scheduled, Published}

// Roles lists the staff roles the policy speaks of.
var Roles = []account.Role{account.Reporter, account.Moderator, account.Editor, account.Admin}

// Whose says whose articles a row of the policy is about: the actor's
// own (created by them), someone else's, or either.
type Whose int

// The owners a row names.
const (
	Own Whose = iota + 1
	Others
	Anyones
)

// Rule is one row of the policy: these roles may do these actions to an
// article in one of these states, belonging to whom Whose says.
type Rule struct {
	Roles   []account.Role
	Actions []Action
	States  []Status
	Whose   Whose
}

var (
	publishers = []account.Role{account.Editor, account.Admin}
	draftOnly  = []Status{Draft}
)

// Policy is the newsroom's one rule set for articles: every door (the
// JSON API, the newsroom pages, the scheduler, the command line) goes
// through Service, and every method of Service asks May. Whatever no row
// allows is refused.
//
// Reporters write, and see, their own articles; once submitted an
// article is the editors' to change. Of others' articles they see only
// what readers see. Moderators look after comments: they read published
// articles and write none. Editors and admins may do everything; the
// workflow (ErrWrongStatus) still decides which steps make sense.
var Policy = []Rule{
	{Roles: publishers, Actions: Actions, States: Statuses, Whose: Anyones},
	{Roles: []account.Role{account.Reporter}, Actions: []Action{ActRead, ActList, ActHistory}, States: Statuses, Whose: Own},
	{Roles: []account.Role{account.Reporter}, Actions: []Action{ActRead}, States: []Status{Published}, Whose: Others},
	{Roles: []account.Role{account.Reporter}, Actions: []Action{ActCreate, ActEdit, ActSubmit, ActRestore, ActChangeAddress}, States: draftOnly, Whose: Own},
	// A reporter may file a story straight into review: it is a draft
	// created and submitted in one step.
	{Roles: []account.Role{account.Reporter}, Actions: []Action{ActCreate}, States: []Status{Review}, Whose: Own},
	{Roles: []account.Role{account.Moderator}, Actions: []Action{ActRead}, States: []Status{Published}, Whose: Anyones},
}

type cell struct {
	role   account.Role
	action Action
	state  Status
	own    bool
}

// allowed is Policy expanded into the cells it allows, once.
var allowed = func() map[cell]bool {
	m := map[cell]bool{}
	for _, r := range Policy {
		for _, role := range r.Roles {
			for _, a := range r.Actions {
				for _, st := range r.States {
					if r.Whose == Own || r.Whose == Anyones {
						m[cell{role, a, st, true}] = true
					}
					if r.Whose == Others || r.Whose == Anyones {
						m[cell{role, a, st, false}] = true
					}
				}
			}
		}
	}
	return m
}()

// May reports whether a staff member of role may do action to an article
// in state; own is whether they created it.
func May(role account.Role, action Action, state Status, own bool) bool {
	return allowed[cell{role, action, state, own}]
}

// MayAny reports whether role may do action to some article: the doors
// refuse a role outright (403) when it may do the action to none.
func MayAny(role account.Role, action Action) bool {
	for c := range allowed {
		if c.role == role && c.action == action {
			return true
		}
	}
	return false
}
