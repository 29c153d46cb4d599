package api

import (
	"errors"
	"net/http"
	"time"

	"broadsheet/internal/account"
	"broadsheet/internal/http/request"
	"broadsheet/internal/http/response"
	"broadsheet/internal/webhook"
)

// webhookRequest registers a hook.
type webhookRequest struct {
	URL    string   `json:"url"`
	Events []string `json:"events"`
}

// webhookDTO is a registered hook; the secret is given once, in the
// answer to its registration.
type webhookDTO struct {
	ID        int64    `json:"id"`
	URL       string   `json:"url"`
	Events    []string `json:"events"`
	Active    bool     `json:"active"`
	CreatedAt string   `json:"created_at"`
	Secret    string   `json:"secret,omitempty"`
}

// webhookDeliveryDTO is one entry of a hook's delivery log.
type webhookDeliveryDTO struct {
	ID             string `json:"id"`
	Event          string `json:"event"`
	Status         string `json:"status"`
	Attempts       int    `json:"attempts"`
	CreatedAt      string `json:"created_at"`
	NextAttemptAt  string `json:"next_attempt_at,omitempty"`
	DeliveredAt    string `json:"delivered_at,omitempty"`
	LastStatusCode int    `json:"last_status_code"`
	LastError      string `json:"last_error"`
}

func webhookOut(h webhook.Hook) webhookDTO {
	events := h.Events
	if events == nil {
		events = []string{}
	}
	return webhookDTO{ID: h.ID, URL: h.URL, Events: events, Active: h.Active,
		CreatedAt: h.CreatedAt.UTC().Format(time.RFC3339), Secret: h.Secret}
}

// webhookError is the API's answer to the webhook service's errors.
func webhookError(err error) error {
	var ve webhook.ValidationError
	switch {
	case errors.As(err, &ve):
		return &apiError{status: http.StatusUnprocessableEntity, code: codeInvalid, message: "The webhook is not valid.", fields: ve}
	case errors.Is(err, webhook.ErrForbidden):
		return &apiError{status: http.StatusForbidden, code: codeForbidden, message: "Only admins manage webhooks."}
	case errors.Is(err, webhook.ErrNotFound):
		return &apiError{status: http.StatusNotFound, code: codeNotFound, message: "No such webhook."}
	}
	return err
}

// GET /api/v1/webhooks lists the registered hooks (admins only).
func (h *handler) listWebhooks(w http.ResponseWriter, r *http.Request) {
	hooks, err := h.manage.Webhooks.List(r.Context(), actor(r))
	if err != nil {
		h.fail(w, r, webhookError(err))
		return
	}
	out := make([]webhookDTO, 0, len(hooks))
	for _, hk := range hooks {
		out = append(out, webhookOut(hk))
	}
	response.JSON(w, http.StatusOK, out)
}

// POST /api/v1/webhooks registers a hook and answers with its secret,
// which is never shown again.
func (h *handler) createWebhook(w http.ResponseWriter, r *http.Request) {
	var req webhookRequest
	if err := decode(w, r, &req); err != nil {
		h.fail(w, r, err)
		return
	}
	hk, err := h.manage.Webhooks.Register(r.Context(), actor(r), webhook.Input{URL: req.URL, Events: req.Events})
	if err != nil {
		h.fail(w, r, webhookError(err))
		return
	}
	response.JSON(w, http.StatusCreated, webhookOut(hk))
}

// DELETE /api/v1/webhooks/{id} removes a hook and its delivery log.
func (h *handler) deleteWebhook(w http.ResponseWriter, r *http.Request) {
	id, ok := request.PathInt64(r, "id")
	if !ok {
		h.fail(w, r, webhookError(webhook.ErrNotFound))
		return
	}
	if err := h.manage.Webhooks.Delete(r.Context(), actor(r), id); err != nil {
		h.fail(w, r, webhookError(err))
		return
	}
	w.WriteHeader(http.StatusNoContent)
}

// GET /api/v1/webhooks/{id}/deliveries lists a hook's latest deliveries,
// newest first, with the receiver's last answer to each.
func (h *handler) listWebhookDeliveries(w http.ResponseWriter, r *http.Request) {
	id, ok := request.PathInt64(r, "id")
	if !ok {
		h.fail(w, r, webhookError(webhook.ErrNotFound))
		return
	}
	ds, err := h.manage.Webhooks.Deliveries(r.Context(), actor(r), id)
	if err != nil {
		h.fail(w, r, webhookError(err))
		return
	}
	out := make([]webhookDeliveryDTO, 0, len(ds))
	for _, d := range ds {
		dto := webhookDeliveryDTO{ID: d.DeliveryID, Event: d.Event, Status: string(d.Status), Attempts: d.Attempts,
			CreatedAt: d.CreatedAt.UTC().Format(time.RFC3339), LastStatusCode: d.LastStatusCode, LastError: d.LastError}
		if d.Status == webhook.Pending {
			dto.NextAttemptAt = d.NextAttemptAt.UTC().Format(time.RFC3339)
		}
		if !d.DeliveredAt.IsZero() {
			dto.DeliveredAt = d.DeliveredAt.UTC().Format(time.RFC3339)
		}
		out = append(out, dto)
	}
	response.JSON(w, http.StatusOK, out)
}

// administers is the webhook routes' rule: the one the webhook service
// applies too (account.Role.CanAdminister), with its own sentence.
var administers = access{may: account.Role.CanAdminister, refusal: "Only admins manage webhooks."}
