package server

import (
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"time"

	"broadsheet/internal/auth/social"
	"broadsheet/internal/comment"
	"broadsheet/internal/config"
	"broadsheet/internal/outage"
	"broadsheet/internal/reader"
	"broadsheet/internal/store"
	"broadsheet/internal/web"
)

// newLogins sets up social login at /auth/{provider}/… when providers are
// configured; nil otherwise. A login creates or finds the reader, starts a
// fresh session, and sends a reader who has not accepted the Standards
// Board Policy to it on the way back. Refused logins and provider
// outages are logged.
func newLogins(cfg *config.Config, logger *slog.Logger, db *store.DB, comments *comment.Service, sessions *reader.Sessions, site *web.Handler, mux *http.ServeMux) (*social.Logins, error) {
	if len(cfg.Logins) == 0 {
		return nil, nil
	}
	l, err := social.New(social.Options{
		BaseURL:   cfg.BaseURL,
		Providers: cfg.Logins,
		Flows:     db,
		Fail:      site.LoginFailed,
		Logger:    logger,
		SignIn: func(w http.ResponseWriter, r *http.Request, id social.Identity, next string) {
			rd, err := db.SignInReader(r.Context(), reader.Reader{Provider: id.Provider, Subject: id.Subject,
				DisplayName: reader.NameFromProvider(id.Name), AvatarURL: reader.SafeAvatar(id.AvatarURL)})
			if err == nil {
				err = sessions.SignIn(w, r, rd.ID)
			}
			if err != nil {
				status := http.StatusInternalServerError
				if outage.Is(err) {
					status = http.StatusServiceUnavailable
					outage.SetRetryAfter(w)
				}
				site.LoginFailed(w, r, status, "")
				return
			}
			if pol, err := comments.Policy(r.Context()); err == nil && rd.PolicyVersion == pol.Version {
				http.Redirect(w, r, next, http.StatusSeeOther)
				return
			}
			http.Redirect(w, r, "/account/policy?next="+url.QueryEscape(next), http.StatusSeeOther)
		},
	})
	if err != nil {
		return nil, fmt.Errorf("server: social login: %w", err)
	}
	l.Register(mux)
	return l, nil
}

func loginButtons(l *social.Logins) func(next string) []web.LoginButton {
	if l == nil {
		return nil
	}
	return func(next string) []web.LoginButton {
		var out []web.LoginButton
		for _, b := range l.Buttons(next) {
			out = append(out, web.LoginButton{Provider: b.Provider, Label: b.Label, URL: b.URL, Available: b.Available})
		}
		return out
	}
}

// loginStatus describes each provider for /readyz.
func loginStatus(l *social.Logins) []string {
	if l == nil {
		return nil
	}
	var out []string
	for _, st := range l.Status() {
		line := "login " + st.Provider + ": available"
		if !st.Available {
			line = fmt.Sprintf("login %s: unavailable since %s after %d failures (%s)", st.Provider,
				st.Since.UTC().Format(time.RFC3339), st.Failures, st.LastError)
		}
		out = append(out, line)
	}
	return out
}
