package api

import (
	"context"
	"encoding/json"
	"log/slog"
	"maps"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"reflect"
	"regexp"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"broadsheet/internal/account"
	"broadsheet/internal/article"
	"broadsheet/internal/comment"
	"broadsheet/internal/glossary"
	"broadsheet/internal/http/response"
	"broadsheet/internal/reader"
	"broadsheet/internal/store"
)

// These tests keep openapi.json true to the code: its operations to the
// route table, its security schemes to the credentials the server takes,
// its schemas to the DTOs and to the comment settings, its references and
// its path parameters to themselves. They read the embedded copy, which
// is the one GET /api/v1/openapi.json serves.

// oaDoc is the part of an OpenAPI document the tests read.
type oaDoc struct {
	OpenAPI string `json:"openapi"`
	Info    struct {
		Title   string `json:"title"`
		Version string `json:"version"`
	} `json:"info"`
	Servers []struct {
		URL string `json:"url"`
	} `json:"servers"`
	Security []map[string][]string `json:"security"`
	// Paths maps a path to its path item: HTTP methods to operations,
	// plus fields such as "parameters" shared by all of them.
	Paths      map[string]map[string]json.RawMessage `json:"paths"`
	Components struct {
		Schemas         map[string]oaSchema    `json:"schemas"`
		Parameters      map[string]oaParameter `json:"parameters"`
		SecuritySchemes map[string]struct {
			Type   string `json:"type"`
			Scheme string `json:"scheme"` // for type http
			In     string `json:"in"`     // for type apiKey
			Name   string `json:"name"`   // for type apiKey
		} `json:"securitySchemes"`
	} `json:"components"`
}

type oaOperation struct {
	OperationID string                     `json:"operationId"`
	Parameters  []oaParameter              `json:"parameters"`
	Security    *[]map[string][]string     `json:"security"` // nil: the document's default
	Responses   map[string]json.RawMessage `json:"responses"`
}

type oaParameter struct {
	Ref      string `json:"$ref"`
	Name     string `json:"name"`
	In       string `json:"in"`
	Required bool   `json:"required"`
}

type oaSchema struct {
	Properties           map[string]json.RawMessage `json:"properties"`
	Required             []string                   `json:"required"`
	AdditionalProperties json.RawMessage            `json:"additionalProperties"`
}

// oaOp is one documented operation with the parameters of its path item.
type oaOp struct {
	method, path string
	op           oaOperation
	pathParams   []oaParameter // declared on the path item, shared by its operations
}

func (o oaOp) key() string { return o.method + " " + o.path }

var httpMethods = map[string]bool{
	"get": true, "put": true, "post": true, "delete": true,
	"options": true, "head": true, "patch": true, "trace": true,
}

func loadOpenAPI(t *testing.T) oaDoc {
	t.Helper()
	var doc oaDoc
	if err := json.Unmarshal(openAPI, &doc); err != nil {
		t.Fatalf("openapi.json does not parse: %v", err)
	}
	return doc
}

// operations lists every operation in the document, sorted by path and method.
func operations(t *testing.T, doc oaDoc) []oaOp {
	t.Helper()
	var out []oaOp
	for path, item := range doc.Paths {
		var shared []oaParameter
		if raw, ok := item["parameters"]; ok {
			if err := json.Unmarshal(raw, &shared); err != nil {
				t.Fatalf("openapi.json: %s: parameters: %v", path, err)
			}
		}
		for key, raw := range item {
			if !httpMethods[key] {
				continue
			}
			var op oaOperation
			if err := json.Unmarshal(raw, &op); err != nil {
				t.Fatalf("openapi.json: %s %s: %v", key, path, err)
			}
			out = append(out, oaOp{method: strings.ToUpper(key), path: path, op: op, pathParams: shared})
		}
	}
	slices.SortFunc(out, func(a, b oaOp) int { return strings.Compare(a.path+" "+a.method, b.path+" "+b.method) })
	return out
}

func TestOpenAPI_isAnOpenAPI31Document(t *testing.T) {
	if !json.Valid(openAPI) {
		t.Fatal("openapi.json is not valid JSON")
	}
	doc := loadOpenAPI(t)
	if doc.OpenAPI != "3.1.0" {
		t.Errorf("openapi: got %q, want %q", doc.OpenAPI, "3.1.0")
	}
	if doc.Info.Title == "" {
		t.Error("info.title: got empty, want the API's name")
	}
	if doc.Info.Version == "" {
		t.Error("info.version: got empty, want the document's version")
	}
	var servers []string
	for _, s := range doc.Servers {
		servers = append(servers, s.URL)
	}
	if want := []string{prefix}; !slices.Equal(servers, want) {
		t.Errorf("servers: got %q, want %q, where the API is mounted", servers, want)
	}
}

func TestOpenAPI_documentsEveryRoute(t *testing.T) {
	doc := loadOpenAPI(t)
	var routed, documented []string
	for _, rt := range (&handler{}).routes() {
		routed = append(routed, rt.method+" "+rt.path)
	}
	for _, o := range operations(t, doc) {
		documented = append(documented, o.key())
	}
	slices.Sort(routed)
	slices.Sort(documented)
	missing := difference(routed, documented)
	extra := difference(documented, routed)
	if len(missing) > 0 || len(extra) > 0 {
		t.Errorf("openapi.json operations differ from routes():\n"+
			"  routed but not documented: %q\n  documented but not routed: %q\n"+
			"(-routes() +openapi.json):\n%s",
			missing, extra, cmp.Diff(routed, documented))
	}
}

// difference is the members of a that are not in b.
func difference(a, b []string) []string {
	var out []string
	for _, s := range a {
		if !slices.Contains(b, s) {
			out = append(out, s)
		}
	}
	return out
}

func TestOpenAPI_operationIDsNameTheirHandlers(t *testing.T) {
	doc := loadOpenAPI(t)
	byKey := map[string]oaOperation{}
	seen := map[string]string{}
	for _, o := range operations(t, doc) {
		byKey[o.key()] = o.op
		if o.op.OperationID == "" {
			t.Errorf("%s: operationId: got empty, want the handler's name", o.key())
			continue
		}
		if prev, ok := seen[o.op.OperationID]; ok {
			t.Errorf("%s: operationId %q: already used by %s, want it unique", o.key(), o.op.OperationID, prev)
		}
		seen[o.op.OperationID] = o.key()
	}
	for _, rt := range (&handler{}).routes() {
		key := rt.method + " " + rt.path
		op, ok := byKey[key]
		if !ok {
			continue // reported by TestOpenAPI_documentsEveryRoute
		}
		if got, want := op.OperationID, handlerName(rt.handle); got != want {
			t.Errorf("%s: operationId: got %q, want %q, the name of its handler", key, got, want)
		}
	}
}

// handlerName is the name of fn's function or method, without its package
// and receiver: "listArticles" for h.listArticles.
func handlerName(fn http.HandlerFunc) string {
	name := runtime.FuncForPC(reflect.ValueOf(fn).Pointer()).Name()
	name = strings.TrimSuffix(name, "-fm") // method values
	return name[strings.LastIndexByte(name, '.')+1:]
}

func TestOpenAPI_securityMatchesRouteTable(t *testing.T) {
	doc := loadOpenAPI(t)
	if got, want := doc.Security, []map[string][]string{{"bearerAuth": {}}}; !cmp.Equal(got, want) {
		t.Errorf("security: got %v, want %v", got, want)
	}
	scheme := doc.Components.SecuritySchemes["bearerAuth"]
	if scheme.Type != "http" || scheme.Scheme != "bearer" {
		t.Errorf("components.securitySchemes.bearerAuth: got type %q scheme %q, want http bearer", scheme.Type, scheme.Scheme)
	}
	session := doc.Components.SecuritySchemes["readerSession"]
	if session.Type != "apiKey" || session.In != "cookie" || session.Name != reader.CookieName {
		t.Errorf("components.securitySchemes.readerSession: got type %q in %q name %q, want apiKey in cookie %q",
			session.Type, session.In, session.Name, reader.CookieName)
	}
	byKey := map[string]oaOp{}
	for _, o := range operations(t, doc) {
		byKey[o.key()] = o
	}
	for _, rt := range (&handler{}).routes() {
		key := rt.method + " " + rt.path
		o, ok := byKey[key]
		if !ok {
			continue // reported by TestOpenAPI_documentsEveryRoute
		}
		op := o.op
		_, has401 := op.Responses["401"]
		_, has403 := op.Responses["403"]
		if rt.who.cred == staffToken && !everyRole(rt.who.may) && !has403 {
			t.Errorf("%s refuses some roles: responses: got no 403, want one", key)
		}
		readerOnly := []map[string][]string{{"readerSession": {}}}
		switch {
		case rt.who.cred == readerSession && (op.Security == nil || !cmp.Equal(*op.Security, readerOnly)):
			t.Errorf("%s needs a reader's session: security: got %v, want %v", key, op.Security, readerOnly)
		case rt.who.cred == readerSession && !has401:
			t.Errorf("%s needs a reader's session: responses: got no 401, want one", key)
		case rt.who.cred == readerSession && rt.method != http.MethodGet && !slices.ContainsFunc(parameters(doc, o), isCSRFHeader):
			t.Errorf("%s changes something for a reader: parameters: got no required X-CSRF-Token header, want one", key)
		case rt.who.cred == readerSession && rt.method != http.MethodGet && !has403:
			t.Errorf("%s changes something for a reader: responses: got no 403 for a missing CSRF token, want one", key)
		case rt.who.cred == readerSession:
		case rt.who.cred == none && (op.Security == nil || len(*op.Security) != 0):
			t.Errorf("%s is public: security: got %v, want []", key, op.Security)
		case rt.who.cred == none && has401:
			t.Errorf("%s is public: responses: got 401, want none", key)
		case rt.who.cred != none && op.Security != nil:
			t.Errorf("%s needs a token: security: got %v, want the document's bearerAuth default", key, *op.Security)
		case rt.who.cred != none && !has401:
			t.Errorf("%s needs a token: responses: got no 401, want one", key)
		}
	}
}

// everyRole reports a role rule that lets every staff role in.
func everyRole(may func(account.Role) bool) bool {
	for _, r := range []account.Role{account.Reporter, account.Moderator, account.Editor, account.Admin} {
		if !may(r) {
			return false
		}
	}
	return true
}

// parameters lists an operation's parameters and its path item's, with
// references to components.parameters resolved; unresolved ones are left
// out (TestOpenAPI_refsResolve reports them).
func parameters(doc oaDoc, o oaOp) []oaParameter {
	var out []oaParameter
	for _, p := range append(slices.Clone(o.pathParams), o.op.Parameters...) {
		if name, ok := strings.CutPrefix(p.Ref, "#/components/parameters/"); ok {
			if p, ok = doc.Components.Parameters[name]; !ok {
				continue
			}
		}
		out = append(out, p)
	}
	return out
}

func isCSRFHeader(p oaParameter) bool {
	return p.In == "header" && http.CanonicalHeaderKey(p.Name) == "X-Csrf-Token" && p.Required
}

// TestOpenAPI_securityMatchesServer checks the route table's flags, which
// the document follows, against what the mux does without a token or a
// session: token routes and reader routes answer 401, public ones do not.
// Public comment routes need a database, so the API runs on a real one.
func TestOpenAPI_securityMatchesServer(t *testing.T) {
	srv := apiOnDemoDatabase(t)
	fill := strings.NewReplacer("{id}", "1", "{slug}", "about", "{scope}", "article")
	for _, rt := range (&handler{}).routes() {
		t.Run(rt.method+" "+rt.path, func(t *testing.T) {
			target := prefix + fill.Replace(rt.path)
			switch rt.path { // their one required parameter
			case "/dictionary":
				target += "?q=signals"
			case "/search":
				target += "?q=assembly"
			}
			req := httptest.NewRequest(rt.method, target, nil)
			rec := httptest.NewRecorder()
			srv.ServeHTTP(rec, req)
			if rt.who.cred == none {
				if rec.Code != http.StatusOK {
					t.Errorf("status without a token: got %d, want %d", rec.Code, http.StatusOK)
				}
				return
			}
			if rt.who.cred == readerSession {
				var body response.Error
				_ = json.Unmarshal(rec.Body.Bytes(), &body)
				if rec.Code != http.StatusUnauthorized || body.Code != codeUnauthorized {
					t.Errorf("without a session: got %d %q, want %d %q", rec.Code, body.Code, http.StatusUnauthorized, codeUnauthorized)
				}
				return
			}
			var body response.Error
			_ = json.Unmarshal(rec.Body.Bytes(), &body)
			if rec.Code != http.StatusUnauthorized || body.Code != codeUnauthorized {
				t.Errorf("without a token: got %d %q, want %d %q", rec.Code, body.Code, http.StatusUnauthorized, codeUnauthorized)
			}
		})
	}
}

// TestOpenAPI_credentialsMatchSecurity checks that each security scheme
// names the credential the server really takes: the session cookie on
// reader routes, with the CSRF header on those that change something, and
// the bearer token on token routes; and that neither stands in for the
// other. It needs no content, so it runs on an empty database.
func TestOpenAPI_credentialsMatchSecurity(t *testing.T) {
	ctx := context.Background()
	db, err := store.Open(ctx, filepath.Join(t.TempDir(), "api.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	rd, err := db.SignInReader(ctx, reader.Reader{Provider: "oidc", Subject: "s", DisplayName: "Reader"})
	if err != nil {
		t.Fatal(err)
	}
	cookie, session := reader.NewSession(time.Now())
	session.ReaderID = rd.ID
	if err := db.CreateSession(ctx, session); err != nil {
		t.Fatal(err)
	}
	admin, err := db.EnsureStaff(ctx, account.Staff{Email: "admin@paper.example", Name: "Admin", Role: account.Admin})
	if err != nil {
		t.Fatal(err)
	}
	token, hash, err := account.NewToken()
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.CreateToken(ctx, admin.ID, hash); err != nil {
		t.Fatal(err)
	}
	srv := NewHandler(slog.New(slog.DiscardHandler), db, article.NewService(db, nopInvalidator{}, nil), glossary.NewService(db, nil), nil,
		&Comments{Service: comment.NewService(db, nil), Sessions: reader.NewSessions(db, false), Readers: db}, testManage(db))
	fill := strings.NewReplacer("{id}", strconv.FormatInt(rd.ID, 10), "{slug}", "about", "{scope}", "article")

	// send answers a request carrying the given headers (name, value pairs).
	send := func(rt route, header ...string) (int, string) {
		req := httptest.NewRequest(rt.method, prefix+fill.Replace(rt.path), nil)
		for i := 0; i+1 < len(header); i += 2 {
			req.Header.Set(header[i], header[i+1])
		}
		rec := httptest.NewRecorder()
		srv.ServeHTTP(rec, req)
		var body response.Error
		_ = json.Unmarshal(rec.Body.Bytes(), &body)
		return rec.Code, body.Code
	}
	withCookie := []string{"Cookie", reader.CookieName + "=" + cookie}
	withToken := []string{"Authorization", "Bearer " + token}
	for _, rt := range (&handler{}).routes() {
		if rt.who.cred == none {
			continue // they take no credential; TestOpenAPI_securityMatchesServer covers them
		}
		t.Run(rt.method+" "+rt.path, func(t *testing.T) {
			if rt.who.cred != readerSession {
				if status, code := send(rt, append(withCookie, "X-CSRF-Token", session.CSRF)...); status != http.StatusUnauthorized {
					t.Errorf("with a reader's session and no token: got %d %q, want %d %q", status, code, http.StatusUnauthorized, codeUnauthorized)
				}
				if rt.method == http.MethodGet {
					if status, code := send(rt, withToken...); status == http.StatusUnauthorized || status == http.StatusForbidden {
						t.Errorf("with an admin's token: got %d %q, want it let through", status, code)
					}
				}
				return
			}
			if status, code := send(rt, withToken...); status != http.StatusUnauthorized {
				t.Errorf("with an admin's token and no session: got %d %q, want %d %q", status, code, http.StatusUnauthorized, codeUnauthorized)
			}
			if rt.method == http.MethodGet {
				if status, code := send(rt, withCookie...); status != http.StatusOK {
					t.Errorf("with a session: got %d %q, want %d", status, code, http.StatusOK)
				}
				return
			}
			for _, csrf := range []string{"", "not-the-session-token"} {
				if status, code := send(rt, append(withCookie, "X-CSRF-Token", csrf)...); status != http.StatusForbidden || code != "csrf_failed" {
					t.Errorf("with a session and X-CSRF-Token %q: got %d %q, want %d %q", csrf, status, code, http.StatusForbidden, "csrf_failed")
				}
			}
		})
	}
}

func TestOpenAPI_servedDocumentIsTheFile(t *testing.T) {
	srv := NewHandler(slog.New(slog.DiscardHandler), nil, nil, nil, nil, nil, Manage{})
	rec := httptest.NewRecorder()
	srv.ServeHTTP(rec, httptest.NewRequest("GET", prefix+"/openapi.json", nil))
	if got, want := rec.Header().Get("Content-Type"), "application/json"; got != want {
		t.Errorf("Content-Type: got %q, want %q", got, want)
	}
	if !slices.Equal(rec.Body.Bytes(), openAPI) {
		t.Errorf("body: got %d bytes that differ from openapi.json (%d bytes)", rec.Body.Len(), len(openAPI))
	}
}

// dtoSchemas maps each DTO to the component schema that documents it.
// Request shapes must refuse unknown fields (as decode does); response
// shapes must require exactly the fields that are never left out.
var dtoSchemas = []struct {
	typ      reflect.Type
	schema   string
	request  bool // read from request bodies
	response bool // written in answers
}{
	{typ: reflect.TypeFor[articleRequest](), schema: "ArticleRequest", request: true},
	{typ: reflect.TypeFor[articleDTO](), schema: "Article", response: true},
	{typ: reflect.TypeFor[bylineDTO](), schema: "Byline", request: true, response: true},
	{typ: reflect.TypeFor[imageDTO](), schema: "Image", request: true, response: true},
	{typ: reflect.TypeFor[sectionDTO](), schema: "Section", response: true},
	{typ: reflect.TypeFor[sectionRequest](), schema: "SectionRequest", request: true},
	{typ: reflect.TypeFor[authorDTO](), schema: "Author", response: true},
	{typ: reflect.TypeFor[authorRequest](), schema: "AuthorRequest", request: true},
	{typ: reflect.TypeFor[pageDTO](), schema: "Page", response: true},
	{typ: reflect.TypeFor[pageRequest](), schema: "PageRequest", request: true},
	{typ: reflect.TypeFor[topStoriesRequest](), schema: "TopStoriesRequest", request: true, response: true},
	{typ: reflect.TypeFor[settingsDTO](), schema: "Settings", response: true},
	{typ: reflect.TypeFor[settingsRequest](), schema: "SettingsRequest", request: true},
	{typ: reflect.TypeFor[dictionaryDTO](), schema: "DictionaryResult", response: true},
	{typ: reflect.TypeFor[searchResultsDTO](), schema: "SearchResults", response: true},
	{typ: reflect.TypeFor[searchHitDTO](), schema: "SearchHit", response: true},
	{typ: reflect.TypeFor[dictEntryDTO](), schema: "DictionaryEntry", response: true},
	{typ: reflect.TypeFor[definitionDTO](), schema: "Definition", response: true},
	{typ: reflect.TypeFor[dictionaryMissDTO](), schema: "DictionaryMiss", response: true},
	{typ: reflect.TypeFor[analysisDTO](), schema: "WordAnalysis", response: true},
	{typ: reflect.TypeFor[partDTO](), schema: "WordPart", response: true},
	{typ: reflect.TypeFor[glossaryNoteDTO](), schema: "GlossaryNote", response: true},
	{typ: reflect.TypeFor[glossaryEntryDTO](), schema: "GlossaryEntry", response: true},
	{typ: reflect.TypeFor[glossaryListDTO](), schema: "GlossaryList", response: true},
	{typ: reflect.TypeFor[glossaryRequest](), schema: "GlossaryRequest", request: true},
	{typ: reflect.TypeFor[glossaryImportDTO](), schema: "GlossaryImportResult", response: true},
	{typ: reflect.TypeFor[response.Error](), schema: "Error", response: true},
	{typ: reflect.TypeFor[response.Rule](), schema: "Rule", response: true},
	{typ: reflect.TypeFor[ruleDTO](), schema: "Rule", response: true},
	{typ: reflect.TypeFor[commenterDTO](), schema: "Commenter", response: true},
	{typ: reflect.TypeFor[commentDTO](), schema: "Comment", response: true},
	{typ: reflect.TypeFor[commentPageDTO](), schema: "CommentPage", response: true},
	{typ: reflect.TypeFor[commentRequest](), schema: "CommentRequest", request: true},
	{typ: reflect.TypeFor[editRequest](), schema: "EditRequest", request: true},
	{typ: reflect.TypeFor[reactionRequest](), schema: "ReactionRequest", request: true},
	{typ: reflect.TypeFor[reactionDTO](), schema: "Reaction", response: true},
	{typ: reflect.TypeFor[reportRequest](), schema: "ReportRequest", request: true},
	{typ: reflect.TypeFor[meDTO](), schema: "Me", response: true},
	{typ: reflect.TypeFor[meRequest](), schema: "MeRequest", request: true},
	{typ: reflect.TypeFor[policyDTO](), schema: "Policy", response: true},
	{typ: reflect.TypeFor[acceptPolicyRequest](), schema: "AcceptPolicyRequest", request: true},
	{typ: reflect.TypeFor[exportDTO](), schema: "ReaderExport", response: true},
	{typ: reflect.TypeFor[reactionItem](), schema: "ReactionItem", response: true},
	{typ: reflect.TypeFor[historyDTO](), schema: "ReaderHistory", response: true},
	{typ: reflect.TypeFor[queuedDTO](), schema: "QueuedComment", response: true},
	{typ: reflect.TypeFor[decisionRequest](), schema: "DecisionRequest", request: true},
	{typ: reflect.TypeFor[banRequest](), schema: "BanRequest", request: true},
	{typ: reflect.TypeFor[unbanRequest](), schema: "UnbanRequest", request: true},
	{typ: reflect.TypeFor[readerFileDTO](), schema: "ReaderFile", response: true},
	{typ: reflect.TypeFor[logEntryDTO](), schema: "LogEntry", response: true},
	{typ: reflect.TypeFor[bannedWordDTO](), schema: "BannedWord", response: true},
	{typ: reflect.TypeFor[bannedWordRequest](), schema: "BannedWordRequest", request: true},
	{typ: reflect.TypeFor[modeRequest](), schema: "ModeRequest", request: true, response: true},
	{typ: reflect.TypeFor[webhookRequest](), schema: "WebhookRequest", request: true},
	{typ: reflect.TypeFor[webhookDTO](), schema: "Webhook", response: true},
	{typ: reflect.TypeFor[webhookDeliveryDTO](), schema: "WebhookDelivery", response: true},
	{typ: reflect.TypeFor[redirectRequest](), schema: "RedirectRequest", request: true},
	{typ: reflect.TypeFor[redirectDTO](), schema: "Redirect", response: true},
	{typ: reflect.TypeFor[redirectPageDTO](), schema: "RedirectPage", response: true},
}

func TestOpenAPI_schemasMatchDTOs(t *testing.T) {
	doc := loadOpenAPI(t)
	for _, tt := range dtoSchemas {
		t.Run(tt.typ.String(), func(t *testing.T) {
			s, ok := doc.Components.Schemas[tt.schema]
			if !ok {
				t.Fatalf("components.schemas.%s: missing, want the schema of %s", tt.schema, tt.typ)
			}
			fields, always := jsonFields(tt.typ)
			var props []string
			for name := range s.Properties {
				props = append(props, name)
			}
			slices.Sort(props)
			if diff := cmp.Diff(fields, props); diff != "" {
				t.Errorf("%s properties differ from the json fields of %s (-%s +schema):\n%s", tt.schema, tt.typ, tt.typ, diff)
			}
			for _, name := range s.Required {
				if !slices.Contains(fields, name) {
					t.Errorf("%s requires %q: got no such field in %s", tt.schema, name, tt.typ)
				}
			}
			if tt.request && string(s.AdditionalProperties) != "false" {
				t.Errorf("%s additionalProperties: got %s, want false: the server refuses unknown fields", tt.schema, orNone(s.AdditionalProperties))
			}
			if tt.response && !tt.request {
				required := slices.Sorted(slices.Values(s.Required))
				if diff := cmp.Diff(always, required); diff != "" {
					t.Errorf("%s required differs from the fields of %s without omitempty (-%s +schema):\n%s", tt.schema, tt.typ, tt.typ, diff)
				}
			}
		})
	}
}

func orNone(raw json.RawMessage) string {
	if len(raw) == 0 {
		return "none"
	}
	return string(raw)
}

// jsonFields lists the JSON names of t's fields, sorted, and those that
// are always written (no omitempty).
func jsonFields(t reflect.Type) (names, always []string) {
	for i := range t.NumField() {
		f := t.Field(i)
		if f.Anonymous && f.Type.Kind() == reflect.Struct && f.Tag.Get("json") == "" {
			// encoding/json flattens an embedded struct into its parent.
			n, a := jsonFields(f.Type)
			names, always = append(names, n...), append(always, a...)
			continue
		}
		if !f.IsExported() {
			continue
		}
		tag := f.Tag.Get("json")
		if tag == "-" {
			continue
		}
		name, opts, _ := strings.Cut(tag, ",")
		if name == "" {
			name = f.Name
		}
		names = append(names, name)
		if !slices.Contains(strings.Split(opts, ","), "omitempty") {
			always = append(always, name)
		}
	}
	slices.Sort(names)
	slices.Sort(always)
	return names, always
}

func TestOpenAPI_refsResolve(t *testing.T) {
	var doc any
	if err := json.Unmarshal(openAPI, &doc); err != nil {
		t.Fatalf("openapi.json does not parse: %v", err)
	}
	refs := 0
	var walk func(where string, v any)
	walk = func(where string, v any) {
		switch v := v.(type) {
		case map[string]any:
			for k, child := range v {
				if k == "$ref" {
					refs++
					ref, _ := child.(string)
					if _, err := resolvePointer(doc, ref); err != "" {
						t.Errorf("%s: $ref %q: %s", where, ref, err)
					}
					continue
				}
				walk(where+"/"+strings.NewReplacer("~", "~0", "/", "~1").Replace(k), child)
			}
		case []any:
			for i, child := range v {
				walk(where+"/"+strconv.Itoa(i), child)
			}
		}
	}
	walk("#", doc)
	if refs == 0 {
		t.Error("got no $ref in openapi.json, want the operations to refer to components")
	}
}

// resolvePointer follows a local reference such as
// "#/components/schemas/Article"; err says why it could not.
func resolvePointer(doc any, ref string) (v any, err string) {
	rest, ok := strings.CutPrefix(ref, "#/")
	if !ok {
		return nil, "want a local reference starting with #/"
	}
	v = doc
	for _, tok := range strings.Split(rest, "/") {
		tok = strings.NewReplacer("~1", "/", "~0", "~").Replace(tok)
		switch node := v.(type) {
		case map[string]any:
			if v, ok = node[tok]; !ok {
				return nil, "no " + strconv.Quote(tok) + " in the document"
			}
		case []any:
			i, convErr := strconv.Atoi(tok)
			if convErr != nil || i < 0 || i >= len(node) {
				return nil, "no element " + strconv.Quote(tok) + " in the document"
			}
			v = node[i]
		default:
			return nil, "nothing under " + strconv.Quote(tok) + " in the document"
		}
	}
	return v, ""
}

var pathParam = regexp.MustCompile(`\{([^{}]+)\}`)

func TestOpenAPI_declaresPathParameters(t *testing.T) {
	doc := loadOpenAPI(t)
	for _, o := range operations(t, doc) {
		var want []string
		for _, m := range pathParam.FindAllStringSubmatch(o.path, -1) {
			want = append(want, m[1])
		}
		var got []string
		for _, p := range append(slices.Clone(o.pathParams), o.op.Parameters...) {
			if name, ok := strings.CutPrefix(p.Ref, "#/components/parameters/"); ok {
				p, ok = doc.Components.Parameters[name]
				if !ok {
					continue // reported by TestOpenAPI_refsResolve
				}
			}
			if p.In != "path" {
				continue
			}
			got = append(got, p.Name)
			if !p.Required {
				t.Errorf("%s: path parameter %q: got required false, want true", o.key(), p.Name)
			}
		}
		slices.Sort(want)
		slices.Sort(got)
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("%s: path parameters differ from those in the path (-path +declared):\n%s", o.key(), diff)
		}
	}
}

// TestOpenAPI_commentSettingsMatchTheCode checks the documented comment
// settings against internal/comment: the keys, each whole number's bounds
// (x-minimum and x-maximum) and default, and the modes.
func TestOpenAPI_commentSettingsMatchTheCode(t *testing.T) {
	doc := loadOpenAPI(t)
	want := slices.Sorted(slices.Values(comment.Keys()))
	defaults := comment.DefaultSettings().Map()
	for _, name := range []string{"CommentSettings", "CommentSettingsRequest"} {
		s, ok := doc.Components.Schemas[name]
		if !ok {
			t.Errorf("components.schemas.%s: missing, want the comment settings", name)
			continue
		}
		got := slices.Sorted(maps.Keys(s.Properties))
		if diff := cmp.Diff(want, got); diff != "" {
			t.Errorf("%s properties differ from comment.Keys() (-code +schema):\n%s", name, diff)
		}
		if string(s.AdditionalProperties) != "false" {
			t.Errorf("%s additionalProperties: got %s, want false: other keys are refused", name, orNone(s.AdditionalProperties))
		}
		if name == "CommentSettings" {
			if diff := cmp.Diff(want, slices.Sorted(slices.Values(s.Required))); diff != "" {
				t.Errorf("%s required differs from comment.Keys(), which the answer always holds (-code +schema):\n%s", name, diff)
			}
		}
		for key, raw := range s.Properties {
			var p struct {
				Type    string   `json:"type"`
				Enum    []string `json:"enum"`
				Default string   `json:"default"`
				Min     *int     `json:"x-minimum"`
				Max     *int     `json:"x-maximum"`
			}
			if err := json.Unmarshal(raw, &p); err != nil {
				t.Errorf("%s.%s: %v", name, key, err)
				continue
			}
			if p.Type != "string" {
				t.Errorf("%s.%s type: got %q, want string: every value is stored and sent as a string", name, key, p.Type)
			}
			if p.Default != defaults[key] {
				t.Errorf("%s.%s default: got %q, want %q", name, key, p.Default, defaults[key])
			}
			if key == comment.KeyMode {
				for _, m := range p.Enum {
					if _, bad := comment.DefaultSettings().Change(map[string]string{key: m}); len(bad) > 0 {
						t.Errorf("%s.%s: enum value %q is refused: %s", name, key, m, bad[key])
					}
				}
				if len(p.Enum) == 0 {
					t.Errorf("%s.%s enum: got none, want the modes", name, key)
				}
				continue
			}
			if p.Min == nil || p.Max == nil {
				t.Errorf("%s.%s: got no x-minimum and x-maximum, want the bounds", name, key)
				continue
			}
			for _, c := range []struct {
				n  int
				ok bool
			}{{*p.Min, true}, {*p.Max, true}, {*p.Min - 1, false}, {*p.Max + 1, false}} {
				_, bad := comment.DefaultSettings().Change(map[string]string{key: strconv.Itoa(c.n)})
				if accepted := len(bad) == 0; accepted != c.ok {
					t.Errorf("%s.%s = %d: got accepted %t, want %t, as x-minimum %d and x-maximum %d say", name, key, c.n, accepted, c.ok, *p.Min, *p.Max)
				}
			}
		}
	}
}
