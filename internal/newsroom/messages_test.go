package newsroom

import (
	"testing"

	"broadsheet/internal/comment"
	"broadsheet/internal/i18n"
)

// The pages build some message ids from values (a role, a status, a log
// action, a setting's key); each must exist in both languages, or the
// page would show the bare id.
func TestMessages_builtIDsExistInBothLanguages(t *testing.T) {
	c, err := i18n.Load()
	if err != nil {
		t.Fatal(err)
	}
	var ids []string
	add := func(prefix string, names ...string) {
		for _, n := range names {
			ids = append(ids, prefix+n)
		}
	}
	add("newsroom_role_", "reporter", "moderator", "editor", "admin")
	add("newsroom_status_", string(comment.Visible), string(comment.Held), string(comment.Rejected), string(comment.Deleted))
	add("newsroom_action_", comment.ActApprove, comment.ActReject, comment.ActDelete, "ban", "unban", "auto_hide", "auto_reject", "auto_hold", "author_delete")
	add("newsroom_setting_", comment.Keys()...)
	add("newsroom_mode_", "inherit", string(comment.PostMod), string(comment.PreMod), string(comment.Closed))
	add("newsroom_word_", string(comment.Hold), string(comment.Reject))
	add("newsroom_words_", "en", "ko")
	add("newsroom_queue_show_", "all", "held", "reported")
	add("newsroom_err_", "bad_rule", "bad_reason", "bad_until", "bad_action", "mode_section", "mode_article")
	for _, lang := range i18n.Supported {
		tr := c.For(lang)
		for _, id := range ids {
			if got := tr.T(id); got == id || got == "" {
				t.Errorf("%s: no message %q", lang, id)
			}
		}
	}
}
