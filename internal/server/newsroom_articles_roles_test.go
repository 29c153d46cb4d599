package server_test

import (
	"fmt"
	"testing"

	"broadsheet/internal/account"
	"broadsheet/internal/article"
	"broadsheet/internal/store/storetest"
)

// The article editor's pages that no article's policy decides, and
// opening each kind of target, as every role and signed out; every
// action on an article is walked by TestPolicy_bothDoorsAnswerAsTheTable.
func TestNewsroomArticles_roleMatrix(t *testing.T) {
	storetest.Each(t, func(t *testing.T, e storetest.Engine) {
		m := newRoleMatrix(t, e)
		type call = matrixCall
		open := func(state article.Status, owner func(account.Role) int64) func(*testing.T) call {
			return func(t *testing.T) call {
				// The reporter's own: each role's target is the reporter's.
				return call{method: "GET", path: fmt.Sprintf("/newsroom/articles/%d", m.target(t, state, owner(account.Reporter)).ID)}
			}
		}
		reporters := func(account.Role) int64 { return m.staff[account.Reporter] }
		others := func(account.Role) int64 { return m.other }
		m.run(t, []roleCase{
			{"list", func(*testing.T) call { return call{method: "GET", path: "/newsroom/articles"} }, statuses(200, 403, 200, 200)},
			{"new form", func(*testing.T) call { return call{method: "GET", path: "/newsroom/articles/new"} }, statuses(200, 403, 200, 200)},
			{"create", func(*testing.T) call {
				return call{method: "POST", path: "/newsroom/articles/new", form: articleForm("Made in the matrix")}
			}, statuses(303, 403, 303, 303)},
			{"preview", func(*testing.T) call {
				return call{method: "POST", path: "/newsroom/preview", form: articleForm("Previewed in the matrix")}
			}, statuses(200, 403, 200, 200)},
			{"the reporter's draft", open(article.Draft, reporters), statuses(200, 404, 200, 200)},
			{"the reporter's article in review", open(article.Review, reporters), statuses(200, 404, 200, 200)},
			{"the reporter's scheduled article", open(article.Scheduled, reporters), statuses(200, 404, 200, 200)},
			{"another reporter's draft", open(article.Draft, others), statuses(404, 404, 200, 200)},
			{"another reporter's published article", open(article.Published, others), statuses(200, 200, 200, 200)},
		})
	})
}
