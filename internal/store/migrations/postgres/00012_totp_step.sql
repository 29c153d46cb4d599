-- +goose Up
-- The time step (Unix time / 30 s) of the last second-factor code an
-- account used. A code is accepted only for a newer step, and the check
-- and the update are one conditional UPDATE, so a code seen over a
-- shoulder or sent twice (to one instance or to two at once) works once.
ALTER TABLE staff ADD COLUMN totp_last_step BIGINT NOT NULL DEFAULT 0;
