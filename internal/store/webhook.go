package store

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
	"time"

	"broadsheet/internal/webhook"
)

const webhookColumns = `id, url, events, secret, active, created_at, created_by`

func scanWebhook(sc interface{ Scan(...any) error }) (webhook.Hook, error) {
	var h webhook.Hook
	var events string
	var active, at int64
	var by sql.NullInt64
	if err := sc.Scan(&h.ID, &h.URL, &events, &h.Secret, &active, &at, &by); err != nil {
		return webhook.Hook{}, err
	}
	h.Events, h.Active, h.CreatedAt, h.CreatedBy = strings.Fields(events), active != 0, fromMS(at), by.Int64
	return h, nil
}

// CreateWebhook stores a new hook and sets its ID.
func (db *DB) CreateWebhook(ctx context.Context, h *webhook.Hook) error {
	active := 0
	if h.Active {
		active = 1
	}
	by := sql.NullInt64{Int64: h.CreatedBy, Valid: h.CreatedBy != 0}
	err := db.queryRow(ctx, `INSERT INTO webhooks (url, events, secret, active, created_at, created_by)
		VALUES (?, ?, ?, ?, ?, ?) RETURNING id`,
		h.URL, strings.Join(h.Events, " "), h.Secret, active, ms(h.CreatedAt), by).Scan(&h.ID)
	if err != nil {
		return fmt.Errorf("store: create webhook: %w", err)
	}
	return nil
}

// Webhooks lists every hook, oldest first. Emit reads it in every
// change's transaction; the list is a handful of rows.
func (db *DB) Webhooks(ctx context.Context) ([]webhook.Hook, error) {
	rows, err := db.query(ctx, `SELECT `+webhookColumns+` FROM webhooks ORDER BY id`)
	if err != nil {
		return nil, fmt.Errorf("store: webhooks: %w", err)
	}
	defer rows.Close()
	var out []webhook.Hook
	for rows.Next() {
		h, err := scanWebhook(rows)
		if err != nil {
			return nil, fmt.Errorf("store: webhooks: %w", err)
		}
		out = append(out, h)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("store: webhooks: %w", err)
	}
	return out, nil
}

// Webhook returns one hook.
func (db *DB) Webhook(ctx context.Context, id int64) (webhook.Hook, error) {
	h, err := scanWebhook(db.queryRow(ctx, `SELECT `+webhookColumns+` FROM webhooks WHERE id = ?`, id))
	if err != nil {
		return webhook.Hook{}, fmt.Errorf("store: webhook %d: %w", id, notFound(err, webhook.ErrNotFound))
	}
	return h, nil
}

// DeleteWebhook removes a hook and, with it, its deliveries.
func (db *DB) DeleteWebhook(ctx context.Context, id int64) error {
	return db.tx(ctx, func(t *txn) error {
		if _, err := t.exec(ctx, `DELETE FROM webhook_deliveries WHERE webhook_id = ?`, id); err != nil {
			return fmt.Errorf("store: delete webhook %d: %w", id, err)
		}
		res, err := t.exec(ctx, `DELETE FROM webhooks WHERE id = ?`, id)
		if err != nil {
			return fmt.Errorf("store: delete webhook %d: %w", id, err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return fmt.Errorf("store: webhook %d: %w", id, webhook.ErrNotFound)
		}
		return nil
	})
}

// AddWebhookDelivery writes one delivery to the outbox and sets its ID.
func (db *DB) AddWebhookDelivery(ctx context.Context, d *webhook.Delivery) error {
	err := db.queryRow(ctx, `INSERT INTO webhook_deliveries (webhook_id, event, delivery_id, payload, status, attempts, next_attempt_at, created_at)
		VALUES (?, ?, ?, ?, ?, 0, ?, ?) RETURNING id`,
		d.HookID, d.Event, d.DeliveryID, string(d.Payload), string(d.Status), ms(d.NextAttemptAt), ms(d.CreatedAt)).Scan(&d.ID)
	if err != nil {
		return fmt.Errorf("store: add webhook delivery: %w", err)
	}
	return nil
}

const deliveryColumns = `d.id, d.webhook_id, d.event, d.delivery_id, d.payload, d.status, d.attempts, d.next_attempt_at,
	d.last_status_code, d.last_error, d.created_at, d.delivered_at`

func scanDelivery(sc interface{ Scan(...any) error }, extra ...any) (webhook.Delivery, error) {
	var d webhook.Delivery
	var payload, status string
	var next, at int64
	var delivered sql.NullInt64
	dest := append([]any{&d.ID, &d.HookID, &d.Event, &d.DeliveryID, &payload, &status, &d.Attempts, &next,
		&d.LastStatusCode, &d.LastError, &at, &delivered}, extra...)
	if err := sc.Scan(dest...); err != nil {
		return webhook.Delivery{}, err
	}
	d.Payload, d.Status, d.NextAttemptAt, d.CreatedAt, d.DeliveredAt =
		[]byte(payload), webhook.Status(status), fromMS(next), fromMS(at), fromNullMS(delivered)
	return d, nil
}

// WebhookDeliveries lists a hook's latest deliveries, newest first.
func (db *DB) WebhookDeliveries(ctx context.Context, hookID int64, limit int) ([]webhook.Delivery, error) {
	rows, err := db.query(ctx, `SELECT `+deliveryColumns+` FROM webhook_deliveries d
		WHERE d.webhook_id = ? ORDER BY d.id DESC LIMIT ?`, hookID, limit)
	if err != nil {
		return nil, fmt.Errorf("store: webhook deliveries: %w", err)
	}
	defer rows.Close()
	var out []webhook.Delivery
	for rows.Next() {
		d, err := scanDelivery(rows)
		if err != nil {
			return nil, fmt.Errorf("store: webhook deliveries: %w", err)
		}
		out = append(out, d)
	}
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("store: webhook deliveries: %w", err)
	}
	return out, nil
}

// ClaimWebhookDeliveries takes the due deliveries for one sender. On
// PostgreSQL the rows are locked with SKIP LOCKED, so instances claiming
// at the same moment take different rows instead of queueing; SQLite's
// single writer serialises the claims by itself. Either way the claim
// moves the next attempt to leaseUntil before the transaction ends.
func (db *DB) ClaimWebhookDeliveries(ctx context.Context, now, leaseUntil time.Time, limit int) ([]webhook.Delivery, error) {
	lock := ""
	if db.d.name == "postgres" {
		lock = ` FOR UPDATE OF d SKIP LOCKED`
	}
	var out []webhook.Delivery
	err := db.tx(ctx, func(t *txn) error {
		out = nil
		rows, err := t.query(ctx, `SELECT `+deliveryColumns+`, h.url, h.secret FROM webhook_deliveries d
			JOIN webhooks h ON h.id = d.webhook_id
			WHERE d.status = 'pending' AND d.next_attempt_at <= ? ORDER BY d.next_attempt_at, d.id LIMIT ?`+lock,
			ms(now), limit)
		if err != nil {
			return err
		}
		for rows.Next() {
			var url, secret string
			d, err := scanDelivery(rows, &url, &secret)
			if err != nil {
				rows.Close()
				return err
			}
			d.URL, d.Secret = url, secret
			out = append(out, d)
		}
		rows.Close()
		if err := rows.Err(); err != nil {
			return err
		}
		for _, d := range out {
			if _, err := t.exec(ctx, `UPDATE webhook_deliveries SET next_attempt_at = ? WHERE id = ?`, ms(leaseUntil), d.ID); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return nil, fmt.Errorf("store: claim webhook deliveries: %w", err)
	}
	return out, nil
}

// FinishWebhookAttempt records the outcome of one attempt at d.
func (db *DB) FinishWebhookAttempt(ctx context.Context, d webhook.Delivery) error {
	_, err := db.exec(ctx, `UPDATE webhook_deliveries SET status = ?, attempts = ?, next_attempt_at = ?,
		last_status_code = ?, last_error = ?, delivered_at = ? WHERE id = ?`,
		string(d.Status), d.Attempts, ms(d.NextAttemptAt), d.LastStatusCode, d.LastError, nullMS(d.DeliveredAt), d.ID)
	if err != nil {
		return fmt.Errorf("store: finish webhook delivery %s: %w", d.DeliveryID, err)
	}
	return nil
}
