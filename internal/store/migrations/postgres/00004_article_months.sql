-- +goose Up
-- How many articles each month (UTC) has published and when the newest
-- change among them was: the sitemap index reads this instead of counting
-- a million articles. Article writes keep it by adding and subtracting, so
-- concurrent writers cannot overwrite each other's counts; last_modified
-- only moves forward (an article leaving a month changes its sitemap too).
CREATE TABLE article_months (
    month_start   BIGINT PRIMARY KEY, -- Unix ms of the month's first instant, UTC
    articles      INTEGER NOT NULL,
    last_modified BIGINT NOT NULL
);
INSERT INTO article_months (month_start, articles, last_modified)
SELECT (EXTRACT(EPOCH FROM date_trunc('month', to_timestamp(published_at / 1000.0) AT TIME ZONE 'UTC')) * 1000)::BIGINT,
       COUNT(*), MAX(updated_at)
FROM articles WHERE status = 'published' AND published_at IS NOT NULL
GROUP BY 1;
