package article_test

import (
	"testing"

	"broadsheet/internal/account"
	"broadsheet/internal/article"
)

// The cells the security review named, read straight from the table.
func TestMay_reviewedCells(t *testing.T) {
	for _, c := range []struct {
		role   account.Role
		action article.Action
		state  article.Status
		own    bool
		want   bool
	}{
		{account.Reporter, article.ActRead, article.Draft, false, false},
		{account.Moderator, article.ActRead, article.Draft, false, false},
		{account.Moderator, article.ActRead, article.Published, false, true},
		{account.Reporter, article.ActRead, article.Published, false, true},
		{account.Reporter, article.ActRead, article.Review, true, true},
		{account.Moderator, article.ActCreate, article.Draft, true, false},
		{account.Moderator, article.ActCreate, article.Review, true, false},
		{account.Reporter, article.ActCreate, article.Review, true, true},
		{account.Reporter, article.ActCreate, article.Published, true, false},
		{account.Reporter, article.ActSetTime, article.Draft, true, false},
		{account.Editor, article.ActSetTime, article.Draft, false, true},
		{account.Reporter, article.ActEdit, article.Review, true, false},
		{account.Reporter, article.ActEdit, article.Draft, false, false},
		{account.Admin, article.ActUnpublish, article.Published, false, true},
	} {
		if got := article.May(c.role, c.action, c.state, c.own); got != c.want {
			t.Errorf("May(%s, %s, %s, own %v) = %v, want %v", c.role, c.action, c.state, c.own, got, c.want)
		}
	}
	if article.MayAny(account.Moderator, article.ActList) || !article.MayAny(account.Reporter, article.ActList) {
		t.Error("moderators list no articles; reporters list theirs")
	}
	// A new article is asked about as the actor's own draft.
	if !article.Allows(account.Staff{ID: 7, Role: account.Reporter}, article.ActEdit, article.Article{}) {
		t.Error("a reporter may write a new article")
	}
	// An article loaded by the demo (created by nobody) is nobody's own,
	// not the own of an actor without an id.
	if article.Allows(account.Staff{Role: account.Reporter}, article.ActEdit, article.Article{ID: 1, Status: article.Draft}) {
		t.Error("an article created by nobody is not a reporter's own")
	}
}
