package store

import (
	"context"
	"database/sql"
	"fmt"
	"strings"

	"broadsheet/internal/audit"
)

// AddAuditEntry appends one entry to the staff action log.
func (db *DB) AddAuditEntry(ctx context.Context, e *audit.Entry) error {
	staff := sql.NullInt64{Int64: e.StaffID, Valid: e.StaffID != 0}
	err := db.queryRow(ctx, `INSERT INTO audit_log (staff_id, staff_name, action, target_type, target_id, summary, before_json, after_json, created_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
		staff, e.StaffName, e.Action, e.TargetType, e.TargetID, e.Summary, e.Before, e.After, ms(e.CreatedAt)).Scan(&e.ID)
	if err != nil {
		return fmt.Errorf("store: add audit entry: %w", err)
	}
	return nil
}

// AuditEntries lists a newest-first page of the staff action log.
func (db *DB) AuditEntries(ctx context.Context, q audit.Query) ([]audit.Entry, error) {
	var where []string
	var args []any
	if q.StaffID != 0 {
		where, args = append(where, `staff_id = ?`), append(args, q.StaffID)
	}
	if q.TargetType != "" {
		where, args = append(where, `target_type = ?`), append(args, q.TargetType)
	}
	if q.TargetID != 0 {
		where, args = append(where, `target_id = ?`), append(args, q.TargetID)
	}
	if q.Action != "" {
		where, args = append(where, `action = ?`), append(args, q.Action)
	}
	if q.Before > 0 {
		where, args = append(where, `id < ?`), append(args, q.Before)
	}
	query := `SELECT id, staff_id, staff_name, action, target_type, target_id, summary, before_json, after_json, created_at FROM audit_log`
	if len(where) > 0 {
		query += ` WHERE ` + strings.Join(where, ` AND `)
	}
	query += ` ORDER BY id DESC LIMIT ?`
	args = append(args, q.Limit)
	rows, err := db.query(ctx, query, args...)
	if err != nil {
		return nil, fmt.Errorf("store: audit entries: %w", err)
	}
	defer rows.Close()
	var out []audit.Entry
	for rows.Next() {
		var e audit.Entry
		var staff sql.NullInt64
		var at int64
		if err := rows.Scan(&e.ID, &staff, &e.StaffName, &e.Action, &e.TargetType, &e.TargetID, &e.Summary, &e.Before, &e.After, &at); err != nil {
			return nil, fmt.Errorf("store: audit entries: %w", err)
		}
		e.StaffID, e.CreatedAt = staff.Int64, fromMS(at)
		out = append(out, e)
	}
	return out, rows.Err()
}
