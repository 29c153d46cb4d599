package newsroom

import (
	"errors"
	"net/http"

	"broadsheet/internal/http/request"
	"broadsheet/internal/webhook"
)

// webhooksPage lists the registered webhooks with the form to add one;
// Added carries the hook just registered, whose secret is shown once.
type webhooksPage struct {
	page
	Hooks        []webhook.Hook
	Events       []string
	Added        *webhook.Hook
	AllowPrivate bool
	Form         form
}

// Checked tells whether the form's box for event is ticked.
func (p webhooksPage) Checked(event string) bool {
	if p.Form.Values == nil {
		return false
	}
	for _, e := range p.Form.Values["events"] {
		if e == event {
			return true
		}
	}
	return false
}

type webhookDeliveriesPage struct {
	page
	Hook       webhook.Hook
	Deliveries []webhook.Delivery
}

// webhookRoutes adds the admins' webhook pages. They go through the
// webhook service the API uses, which checks the role again.
func (h *handler) webhookRoutes(mux *http.ServeMux) {
	if h.cfg.Services.Webhooks == nil {
		return
	}
	mux.HandleFunc("GET /newsroom/webhooks", h.staff(admins, h.showWebhooks))
	mux.HandleFunc("POST /newsroom/webhooks", h.staff(admins, h.addWebhook))
	mux.HandleFunc("POST /newsroom/webhooks/{id}/delete", h.staff(admins, h.deleteWebhook))
	mux.HandleFunc("GET /newsroom/webhooks/{id}", h.staff(admins, h.showWebhookDeliveries))
}

// GET /newsroom/webhooks — the webhooks and the form to add one.
func (h *handler) showWebhooks(w http.ResponseWriter, r *http.Request, v *visit) {
	h.renderWebhooks(w, r, v, http.StatusOK, form{}, nil)
}

func (h *handler) renderWebhooks(w http.ResponseWriter, r *http.Request, v *visit, status int, f form, added *webhook.Hook) {
	svc := h.cfg.Services.Webhooks
	hooks, err := svc.List(r.Context(), v.Staff)
	if err != nil {
		h.fail(w, r, v, err)
		return
	}
	p := webhooksPage{page: h.visitPage(r, v, v.L.T("newsroom_webhooks_title"), "webhooks"),
		Hooks: hooks, Events: webhook.Events, Added: added, AllowPrivate: svc.AllowPrivate(), Form: f}
	h.render(w, r, status, "webhooks", p)
}

// POST /newsroom/webhooks — register a hook, and show its secret once.
func (h *handler) addWebhook(w http.ResponseWriter, r *http.Request, v *visit) {
	f := r.PostForm
	hook, err := h.cfg.Services.Webhooks.Register(r.Context(), v.Staff, webhook.Input{URL: f.Get("url"), Events: f["events"]})
	var ve webhook.ValidationError
	if errors.As(err, &ve) {
		errs := map[string]string{}
		if msg, ok := ve["url"]; ok {
			errs["url"] = v.L.T("newsroom_webhooks_err_url", "Reason", msg)
		}
		if _, ok := ve["events"]; ok {
			errs["events"] = v.L.T("newsroom_webhooks_err_events")
		}
		h.renderWebhooks(w, r, v, http.StatusUnprocessableEntity, form{Name: "add", Values: f, Errors: errs}, nil)
		return
	}
	if err != nil {
		h.fail(w, r, v, err)
		return
	}
	h.renderWebhooks(w, r, v, http.StatusOK, form{}, &hook)
}

// POST /newsroom/webhooks/{id}/delete — remove a hook and its log.
func (h *handler) deleteWebhook(w http.ResponseWriter, r *http.Request, v *visit) {
	id, ok := request.PathInt64(r, "id")
	if !ok {
		h.notFound(w, r)
		return
	}
	err := h.cfg.Services.Webhooks.Delete(r.Context(), v.Staff, id)
	if errors.Is(err, webhook.ErrNotFound) {
		h.notFound(w, r)
		return
	}
	if err != nil {
		h.fail(w, r, v, err)
		return
	}
	redirect(w, r, v.L, "/newsroom/webhooks")
}

// GET /newsroom/webhooks/{id} — a hook's delivery log, newest first.
func (h *handler) showWebhookDeliveries(w http.ResponseWriter, r *http.Request, v *visit) {
	id, ok := request.PathInt64(r, "id")
	if !ok {
		h.notFound(w, r)
		return
	}
	svc := h.cfg.Services.Webhooks
	hook, err := svc.Get(r.Context(), v.Staff, id)
	if err == nil {
		var ds []webhook.Delivery
		ds, err = svc.Deliveries(r.Context(), v.Staff, id)
		if err == nil {
			p := webhookDeliveriesPage{page: h.visitPage(r, v, v.L.T("newsroom_webhook_log_title"), "webhooks"), Hook: hook, Deliveries: ds}
			h.render(w, r, http.StatusOK, "webhook_deliveries", p)
			return
		}
	}
	if errors.Is(err, webhook.ErrNotFound) {
		h.notFound(w, r)
		return
	}
	h.fail(w, r, v, err)
}
