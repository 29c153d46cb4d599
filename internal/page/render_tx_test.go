package page_test

import (
	"context"
	"testing"
	"time"

	"broadsheet/internal/account"
	"broadsheet/internal/audit"
	"broadsheet/internal/page"
	"broadsheet/internal/store/storetest"
)

// A page's Markdown is rendered before its transaction begins: on SQLite
// (BEGIN IMMEDIATE) every other writer would wait for the render, which
// may itself wait for a render turn. Through Put, Update and Create.
func TestService_rendersOutsideTheTransaction(t *testing.T) {
	e := storetest.Engines(t)[0] // sqlite
	db := e.Open(t)
	ctx := context.Background()
	inRender := make(chan struct{})
	release := make(chan struct{})
	render := func(md string) (string, error) {
		if md == "slow" {
			close(inRender)
			<-release // a render waiting for its turn, or a 2 s worst-case body
		}
		return "<p>" + md + "</p>", nil
	}
	svc := page.NewService(db, audit.New(db, nil, nil), nil, page.Rules{Render: render}, nil)
	admin := account.Staff{ID: 0, Name: "t", Role: account.Admin}
	about, _, err := svc.Put(ctx, admin, page.Input{Slug: "about", Title: "About", Body: "fast"})
	if err != nil {
		t.Fatal(err)
	}
	for name, save := range map[string]func() error{
		"Put": func() error {
			_, _, err := svc.Put(ctx, admin, page.Input{Slug: "about", Title: "About", Body: "slow"})
			return err
		},
		"Update": func() error {
			_, err := svc.Update(ctx, admin, about.ID, page.Input{Slug: "about", Title: "About", Body: "slow"})
			return err
		},
		"Create": func() error {
			_, err := svc.Create(ctx, admin, page.Input{Slug: "colophon", Title: "Colophon", Body: "slow"})
			return err
		},
	} {
		inRender = make(chan struct{})
		release = make(chan struct{})
		done := make(chan error, 1)
		go func() { done <- save() }()
		<-inRender
		// Any other write (a comment, a session, a setting) while the page renders.
		wctx, cancel := context.WithTimeout(ctx, 2*time.Second)
		start := time.Now()
		err := db.SetSetting(wctx, "x", name)
		cancel()
		close(release)
		if serr := <-done; serr != nil {
			t.Errorf("%s: %v", name, serr)
		}
		if err != nil {
			t.Errorf("%s: a write waiting for a page render failed after %v: %v", name, time.Since(start), err)
		}
	}
}
