vcl 4.1;
# Varnish 7 in front of Broadsheet (docs/deploy.md, "Varnish").
#
# What is stored: the reader pages, feeds and sitemaps Broadsheet serves
# from its own page cache — the responses carrying a Surrogate-Key — and
# the fingerprinted assets and images. Broadsheet purges by those keys on
# every change (broadsheet serve --purge-url http://127.0.0.1:6081/), so a
# stored page lives until its content changes. Nothing else is stored: a
# response without keys could not be purged, and an unpublished article
# must never be served from here.

import std;
import xkey;

# Broadsheet. A probe on /readyz (503 while the database is not
# answering) tells this cache when to serve stale pages (stale-if-error).
backend default {
    .host = "127.0.0.1";
    .port = "8080";
    .probe = {
        .url = "/readyz";
        .interval = 2s;
        .timeout = 2s;
        .window = 3;
        .threshold = 2;
    }
}

# Who may purge: the Broadsheet instances. Add their addresses here.
acl purgers {
    "127.0.0.1";
    "::1";
}

sub vcl_recv {
    # PURGE with an Xkey-Purge header of space-separated keys drops every
    # object carrying one of them at once (a hard purge: a page taken down
    # must not be served stale while it is fetched again).
    if (req.method == "PURGE") {
        if (client.ip !~ purgers) {
            return (synth(403, "Forbidden"));
        }
        if (!req.http.Xkey-Purge) {
            return (synth(400, "Xkey-Purge header missing"));
        }
        set req.http.X-Purged = xkey.purge(req.http.Xkey-Purge);
        return (synth(200, "Purged " + req.http.X-Purged));
    }
    if (req.method != "GET" && req.method != "HEAD") {
        return (pass);
    }
    # A request sent again by vcl_hit below, to fetch a page past its
    # stale-while-revalidate while Broadsheet is healthy. (A reader's own
    # X-Refetch header counts for nothing.)
    if (req.restarts == 0) {
        unset req.http.X-Refetch;
    } else if (req.http.X-Refetch) {
        set req.hash_always_miss = true;
    }
    # What belongs to one reader or one member of staff, and every API
    # call (token or session): straight to Broadsheet, cookies and all.
    # Broadsheet also marks these responses private, no-store.
    if (req.http.Authorization
        || req.url ~ "^/(newsroom|api|account|auth|comments|reader)(/|\?|$)"
        || req.url ~ "^/article/[^/]+/[^/]+/comments(/|\?|$)") {
        return (pass);
    }
    # Every other page is the same for every reader: Broadsheet renders it
    # from its shared page cache without reading the session cookie (the
    # comments, which show who is signed in, are a separate request
    # above). Dropping the cookies lets a signed-in reader share the
    # stored copy, and no session can shape what is stored.
    unset req.http.Cookie;
    # Broadsheet sends Vary: Accept-Encoding, Accept-Language. Varnish
    # itself reduces Accept-Encoding to gzip or nothing; Accept-Language is
    # reduced to "en" or "ko" only when every language listed is that one,
    # so the page Broadsheet picks is the same as for the full header.
    if (req.http.Accept-Language) {
        set req.http.Accept-Language = std.tolower(regsuball(req.http.Accept-Language, "\s+", ""));
        if (req.http.Accept-Language ~ "^ko(-[a-z0-9]+)*(;q=(1(\.0*)?|0\.[0-9]*[1-9][0-9]*))?(,ko(-[a-z0-9]+)*(;q=(1(\.0*)?|0\.[0-9]*[1-9][0-9]*))?)*$") {
            set req.http.Accept-Language = "ko";
        } else if (req.http.Accept-Language ~ "^en(-[a-z0-9]+)*(;q=(1(\.0*)?|0\.[0-9]*[1-9][0-9]*))?(,en(-[a-z0-9]+)*(;q=(1(\.0*)?|0\.[0-9]*[1-9][0-9]*))?)*$") {
            set req.http.Accept-Language = "en";
        }
    }
    return (hash);
}

sub vcl_hit {
    # An object is kept for its stale-if-error (grace). While Broadsheet
    # is healthy only its stale-while-revalidate may be served stale (and
    # refreshed behind); past it, fetch the page now.
    if (obj.ttl < 0s && std.healthy(req.backend_hint)
        && obj.ttl + std.duration(obj.http.X-Stale-While-Revalidate, 0s) < 0s) {
        set req.http.X-Refetch = "1";
        return (restart);
    }
}

sub vcl_backend_response {
    # A refresh in the background that Broadsheet answers with an error
    # keeps the stale copy (stale-if-error).
    if (beresp.status >= 500 && bereq.is_bgfetch) {
        return (abandon);
    }
    # Keep only what can be purged (or never changes), and only a 200:
    # an error or a redirect is never stored. Everything else is
    # fetched for each request, marked so that the next one goes to
    # Broadsheet without waiting on this one (hit-for-miss).
    if (beresp.status != 200
        || beresp.http.Set-Cookie
        || beresp.http.Cache-Control ~ "(?i)(private|no-store|no-cache)"
        || beresp.http.Vary == "*"
        || !(beresp.http.Surrogate-Key || bereq.url ~ "^/(static|media)/")) {
        set beresp.uncacheable = true;
        set beresp.ttl = 120s;
        set beresp.grace = 0s;
        return (deliver);
    }
    # max-age gives the TTL (Varnish reads it). stale-if-error bounds how
    # long an expired copy is kept; stale-while-revalidate, remembered on
    # the object, how long one is served while Broadsheet is healthy.
    set beresp.http.X-Stale-While-Revalidate = "0s";
    if (beresp.http.Cache-Control ~ "stale-while-revalidate=[0-9]+") {
        set beresp.http.X-Stale-While-Revalidate = regsub(beresp.http.Cache-Control, "^.*stale-while-revalidate=([0-9]+).*$", "\1s");
    }
    set beresp.grace = std.duration(beresp.http.X-Stale-While-Revalidate, 0s);
    if (beresp.http.Cache-Control ~ "stale-if-error=[0-9]+") {
        set beresp.grace = std.duration(regsub(beresp.http.Cache-Control, "^.*stale-if-error=([0-9]+).*$", "\1s"), beresp.grace);
    }
    # The keys xkey indexes, plus "all" on every object so that one purge
    # can empty the cache (Broadsheet's "*" and a settings change).
    if (beresp.http.Surrogate-Key) {
        set beresp.http.xkey = beresp.http.Surrogate-Key + " all";
    } else {
        set beresp.http.xkey = "all";
    }
    return (deliver);
}

sub vcl_backend_error {
    # A refresh in the background that fails keeps the stale copy.
    if (bereq.is_bgfetch) {
        return (abandon);
    }
}

sub vcl_deliver {
    # Keys and cache bookkeeping are not for readers.
    unset resp.http.Surrogate-Key;
    unset resp.http.xkey;
    unset resp.http.X-Stale-While-Revalidate;
    if (obj.uncacheable) {
        set resp.http.X-Cache = "PASS";
    } else if (obj.hits > 0) {
        set resp.http.X-Cache = "HIT";
    } else {
        set resp.http.X-Cache = "MISS";
    }
}
