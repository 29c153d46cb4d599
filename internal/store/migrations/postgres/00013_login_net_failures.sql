-- +goose Up
-- Failed newsroom logins by network address, so that every instance of a
-- scaled-out site counts them together, as it does those by email. The
-- address is kept only as a salted hash (net_hash), never in the clear;
-- rows older than the counting window are deleted as new ones come.
CREATE TABLE staff_login_net_failures (
    net_hash  TEXT NOT NULL,
    failed_at BIGINT NOT NULL
);
CREATE INDEX staff_login_net_failures_hash ON staff_login_net_failures (net_hash, failed_at);
CREATE INDEX staff_login_net_failures_at ON staff_login_net_failures (failed_at);
