package media

import (
	"testing"

	"broadsheet/internal/account"
)

// Who may open which use of an image: the article policy's read rule for
// articles, the pages' rule for static pages.
func TestMayOpen(t *testing.T) {
	reporter := account.Staff{ID: 7, Role: account.Reporter}
	editor := account.Staff{ID: 8, Role: account.Editor}
	moderator := account.Staff{ID: 9, Role: account.Moderator}
	ownDraft := Use{Kind: UseArticle, ID: 1, Status: "draft", CreatedBy: 7}
	othersDraft := Use{Kind: UseArticle, ID: 2, Status: "draft", CreatedBy: 8}
	othersReview := Use{Kind: UseArticle, ID: 3, Status: "review", CreatedBy: 8}
	published := Use{Kind: UseArticle, ID: 4, Status: "published", CreatedBy: 8}
	creatorGone := Use{Kind: UseArticle, ID: 5, Status: "draft"}
	pg := Use{Kind: UsePage, ID: 6}
	for _, c := range []struct {
		who  account.Staff
		use  Use
		want bool
	}{
		{reporter, ownDraft, true}, {reporter, othersDraft, false}, {reporter, othersReview, false},
		{reporter, published, true}, {reporter, creatorGone, false}, {reporter, pg, false},
		{editor, othersDraft, true}, {editor, creatorGone, true}, {editor, pg, true},
		{moderator, othersDraft, false}, {moderator, published, true}, {moderator, pg, false},
	} {
		if got := MayOpen(c.who, c.use); got != c.want {
			t.Errorf("%s may open %+v: %v, want %v", c.who.Role, c.use, got, c.want)
		}
	}
}
