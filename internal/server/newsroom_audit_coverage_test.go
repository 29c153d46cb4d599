package server_test

import (
	"context"
	"net/url"
	"strings"
	"testing"

	"broadsheet/internal/audit"
	"broadsheet/internal/store/storetest"
)

// The moderators' and editors' other forms are in the audit log too,
// with what the form said and never a password or the CSRF token.
func TestNewsroom_everyFormIsAudited(t *testing.T) {
	storetest.Each(t, func(t *testing.T, e storetest.Engine) {
		ts := staffTestServer(t, e)
		ed := ts.signIn(t, "editor@paper.example")
		steps := []struct {
			path   string
			form   url.Values
			action string
		}{
			{"/newsroom/moderation/words", url.Values{"word": {"auditword"}, "lang": {"en"}, "action": {"hold"}, "rule": {"1"}}, "banned-word.create"},
			{"/newsroom/moderation/settings", url.Values{"comments_per_day": {"77"}}, "comment-settings.update"},
			{"/newsroom/glossary", url.Values{"headword": {"audit"}, "lang": {"ko"}, "translation": {"감사"}}, "glossary.create"},
			{"/newsroom/logout", nil, "staff.logout"},
		}
		for _, s := range steps {
			if res, body := ed.post(t, s.path, s.form); res.StatusCode != 303 {
				t.Fatalf("%s: %d\n%s", s.path, res.StatusCode, body)
			}
			es, err := ts.db.AuditEntries(context.Background(), audit.Query{Action: s.action, Limit: 5})
			if err != nil || len(es) != 1 || es[0].StaffName != "editor" {
				t.Errorf("%s: audit %+v %v", s.action, es, err)
				continue
			}
			if strings.Contains(es[0].After, ed.csrf) || strings.Contains(es[0].After, `"csrf"`) {
				t.Errorf("%s: the CSRF token is in the audit log", s.action)
			}
		}
	})
}
