package web

// StylesheetURL is the checksum address of the reader site's stylesheet,
// so that the newsroom pages (internal/newsroom) share the site's look
// without a copy of it.
func (h *Handler) StylesheetURL() string { return h.assets.url("main.css") }
