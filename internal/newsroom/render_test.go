package newsroom

import "testing"

func TestFormPage_leadsBackToAPageThatAnswersGET(t *testing.T) {
	tests := map[string]string{
		"/newsroom/moderation/comments/12":     "/newsroom/moderation",
		"/newsroom/moderation/readers/7/ban":   "/newsroom/moderation/readers/7",
		"/newsroom/moderation/readers/7/unban": "/newsroom/moderation/readers/7",
		"/newsroom/moderation/words/3/delete":  "/newsroom/moderation/words",
		"/newsroom/moderation/words":           "/newsroom/moderation/words",
		"/newsroom/moderation/modes":           "/newsroom/moderation/settings",
		"/newsroom/moderation/settings":        "/newsroom/moderation/settings",
		"/newsroom/login":                      "/newsroom/login",
		"/newsroom/logout":                     "/newsroom/",
	}
	for in, want := range tests {
		if got := formPage(in); got != want {
			t.Errorf("formPage(%q) = %q, want %q", in, got, want)
		}
	}
}
