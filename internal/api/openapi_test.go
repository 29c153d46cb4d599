package api

import (
	"context"
	"encoding/json"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"reflect"
	"regexp"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"broadsheet/internal/glossary"
	"broadsheet/internal/http/response"
)

// These tests keep openapi.json true to the code: its operations to the
// route table, its schemas to the DTOs, its references and its path
// parameters to themselves. They read the embedded copy, which is the one
// GET /api/v1/openapi.json serves.

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
			Scheme string `json:"scheme"`
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
	byKey := map[string]oaOperation{}
	for _, o := range operations(t, doc) {
		byKey[o.key()] = o.op
	}
	for _, rt := range (&handler{}).routes() {
		key := rt.method + " " + rt.path
		op, ok := byKey[key]
		if !ok {
			continue // reported by TestOpenAPI_documentsEveryRoute
		}
		_, has401 := op.Responses["401"]
		switch {
		case rt.public && (op.Security == nil || len(*op.Security) != 0):
			t.Errorf("%s is public: security: got %v, want []", key, op.Security)
		case rt.public && has401:
			t.Errorf("%s is public: responses: got 401, want none", key)
		case !rt.public && op.Security != nil:
			t.Errorf("%s needs a token: security: got %v, want the document's bearerAuth default", key, *op.Security)
		case !rt.public && !has401:
			t.Errorf("%s needs a token: responses: got no 401, want one", key)
		}
	}
}

// TestOpenAPI_securityMatchesServer checks the route table's public flags,
// which the document follows, against what the mux does without a token.
func TestOpenAPI_securityMatchesServer(t *testing.T) {
	srv := NewHandler(slog.New(slog.DiscardHandler), lookupOnlyStore{}, nil, nil, nil)
	fill := strings.NewReplacer("{id}", "1", "{slug}", "about")
	for _, rt := range (&handler{}).routes() {
		t.Run(rt.method+" "+rt.path, func(t *testing.T) {
			target := prefix + fill.Replace(rt.path)
			if rt.path == "/dictionary" {
				target += "?q=signals" // its one required parameter
			}
			req := httptest.NewRequest(rt.method, target, nil)
			rec := httptest.NewRecorder()
			srv.ServeHTTP(rec, req)
			if rt.public {
				if rec.Code != http.StatusOK {
					t.Errorf("status without a token: got %d, want %d", rec.Code, http.StatusOK)
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

// lookupOnlyStore answers the one store call a public route makes (the
// dictionary reads the glossary); any other call panics on the nil
// apiStore, which would show a public route reading more than it should.
type lookupOnlyStore struct{ apiStore }

func (lookupOnlyStore) GlossaryLookup(context.Context, []string) ([]glossary.Entry, error) {
	return nil, nil
}

func TestOpenAPI_servedDocumentIsTheFile(t *testing.T) {
	srv := NewHandler(slog.New(slog.DiscardHandler), nil, nil, nil, nil)
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
	{typ: reflect.TypeFor[dictEntryDTO](), schema: "DictionaryEntry", response: true},
	{typ: reflect.TypeFor[definitionDTO](), schema: "Definition", response: true},
	{typ: reflect.TypeFor[dictionaryMissDTO](), schema: "DictionaryMiss", response: true},
	{typ: reflect.TypeFor[glossaryNoteDTO](), schema: "GlossaryNote", response: true},
	{typ: reflect.TypeFor[glossaryEntryDTO](), schema: "GlossaryEntry", response: true},
	{typ: reflect.TypeFor[glossaryListDTO](), schema: "GlossaryList", response: true},
	{typ: reflect.TypeFor[glossaryRequest](), schema: "GlossaryRequest", request: true},
	{typ: reflect.TypeFor[glossaryImportDTO](), schema: "GlossaryImportResult", response: true},
	{typ: reflect.TypeFor[response.Error](), schema: "Error", response: true},
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
