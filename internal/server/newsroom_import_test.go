package server_test

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"mime/multipart"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"broadsheet/internal/account"
	"broadsheet/internal/audit"
	"broadsheet/internal/config"
	"broadsheet/internal/store/storetest"
)

const (
	wxrFile   = "../importer/wordpress/testdata/paper.xml"
	ghostFile = "../importer/ghost/testdata/ghost-5.json"
)

// importForm is the import page's form with the file last, as a browser
// sends it.
func importForm(t *testing.T, csrf, format string, dryRun bool, name string, file []byte) (*bytes.Buffer, string) {
	t.Helper()
	var body bytes.Buffer
	mw := multipart.NewWriter(&body)
	must := func(err error) {
		if err != nil {
			t.Fatal(err)
		}
	}
	must(mw.WriteField("csrf", csrf))
	if format != "" {
		must(mw.WriteField("format", format))
	}
	if dryRun {
		must(mw.WriteField("dry_run", "1"))
	}
	if name != "" {
		fw, err := mw.CreateFormFile("file", name)
		must(err)
		_, err = fw.Write(file)
		must(err)
	}
	must(mw.Close())
	return &body, mw.FormDataContentType()
}

// upload posts an export file to the import page.
func (b *staffBrowser) uploadExport(t *testing.T, format string, dryRun bool, name string, file []byte) (*http.Response, string) {
	t.Helper()
	body, ctype := importForm(t, b.csrf, format, dryRun, name, file)
	req, err := http.NewRequest("POST", b.ts.URL+"/newsroom/import", body)
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", ctype)
	req.Header.Set("Cookie", "bs_staff="+b.cookie)
	res, out := roundTrip(t, req)
	return res, string(out)
}

var jobPath = regexp.MustCompile(`^/newsroom/import/([0-9a-f]+)$`)

// finish follows an upload's 303 to its status page, waits (by asking the
// status, as the page's script does) for the import to end, and returns
// the finished page.
func (b *staffBrowser) finish(t *testing.T, res *http.Response, body string) string {
	t.Helper()
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("upload: got %d, want 303 to the status page\n%s", res.StatusCode, body)
	}
	loc := res.Header.Get("Location")
	if !jobPath.MatchString(loc) {
		t.Fatalf("upload sent to %q, want /newsroom/import/{id}", loc)
	}
	for i := 0; ; i++ {
		res, text := b.get(t, loc+"/status")
		if res.StatusCode != http.StatusOK {
			t.Fatalf("status: %d %s", res.StatusCode, text)
		}
		var st struct {
			Running bool   `json:"running"`
			Text    string `json:"text"`
		}
		if err := json.Unmarshal([]byte(text), &st); err != nil {
			t.Fatal(err)
		}
		if !st.Running {
			break
		}
		if st.Text == "" {
			t.Fatal("a running import's status says nothing")
		}
		if i > 3000 {
			t.Fatal("the import never finished")
		}
		time.Sleep(20 * time.Millisecond)
	}
	res, page := b.get(t, loc)
	if res.StatusCode != http.StatusOK {
		t.Fatalf("status page: %d", res.StatusCode)
	}
	if strings.Contains(page, `http-equiv="refresh"`) {
		t.Error("a finished import's page still refreshes itself")
	}
	return page
}

func exportFile(t *testing.T, path string) []byte {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// uploads lists the files the import page left in the data folder.
func uploads(t *testing.T, dir string) []string {
	t.Helper()
	m, err := filepath.Glob(filepath.Join(dir, "import-*.upload"))
	if err != nil {
		t.Fatal(err)
	}
	return m
}

func TestNewsroomImport_wordpressDryRunThenImport(t *testing.T) {
	storetest.Each(t, func(t *testing.T, e storetest.Engine) {
		var dataDir string
		ts := staffTestServer(t, e, func(c *config.Config) { dataDir = c.DataDir })
		admin := ts.signIn(t, "admin@paper.example")
		ctx := context.Background()

		res, page := admin.get(t, "/newsroom/import")
		if res.StatusCode != http.StatusOK || !strings.Contains(page, `enctype="multipart/form-data"`) || !strings.Contains(page, `href="/newsroom/import" aria-current="page"`) {
			t.Fatalf("import page: %d\n%s", res.StatusCode, page)
		}
		// The old address is a 404 before, and its page is cached so.
		if res, _ := ts.get(t, "/2019/04/voices/"); res.StatusCode != http.StatusNotFound {
			t.Fatalf("old address before the import: %d, want 404", res.StatusCode)
		}
		before := ts.counts(t)

		res, body := admin.uploadExport(t, "auto", true, "paper.xml", exportFile(t, wxrFile))
		page = admin.finish(t, res, body)
		if !strings.Contains(page, "Dry run") || !strings.Contains(page, `<th scope="row">Articles</th><td>8</td><td>0</td><td>0</td>`) {
			t.Errorf("dry run report:\n%s", page)
		}
		if ts.counts(t) != before {
			t.Error("a dry run wrote")
		}

		res, body = admin.uploadExport(t, "wordpress", false, "paper.xml", exportFile(t, wxrFile))
		page = admin.finish(t, res, body)
		for _, want := range []string{`<th scope="row">Articles</th><td>8</td><td>0</td><td>0</td>`,
			`<th scope="row">Static pages</th><td>2</td>`, `<th scope="row">Comments</th><td>4</td>`,
			"Images: 0 stored in the media library, 2 kept at their old addresses", "Redirects from old addresses:",
			`class="table-scroll" role="region" tabindex="0"`} {
			if !strings.Contains(page, want) {
				t.Errorf("report lacks %q:\n%s", want, page)
			}
		}
		// The server's own cache forgot the 404 at once.
		res, _ = ts.get(t, "/2019/04/voices/")
		if res.StatusCode != http.StatusMovedPermanently || !strings.HasPrefix(res.Header.Get("Location"), "/article/") {
			t.Errorf("old address after the import: %d %q, want 301 to the article", res.StatusCode, res.Header.Get("Location"))
		}
		entries, err := ts.db.AuditEntries(ctx, audit.Query{Action: "import.wordpress", Limit: 10})
		if err != nil || len(entries) != 1 || entries[0].StaffName != "admin" {
			t.Errorf("audit: %+v, %v; want one import.wordpress entry by the admin", entries, err)
		}
		if left := uploads(t, dataDir); len(left) != 0 {
			t.Errorf("uploaded files left behind: %v", left)
		}

		// The same file again changes nothing.
		res, body = admin.uploadExport(t, "", false, "paper.xml", exportFile(t, wxrFile))
		page = admin.finish(t, res, body)
		if !strings.Contains(page, `<th scope="row">Articles</th><td>0</td><td>0</td><td>8</td>`) {
			t.Errorf("second run:\n%s", page)
		}
		// The list of imports names all three.
		if _, page := admin.get(t, "/newsroom/import"); strings.Count(page, "paper.xml") != 3 {
			t.Errorf("import list:\n%s", page)
		}
	})
}

func TestNewsroomImport_ghostDetectedAndKorean(t *testing.T) {
	storetest.Each(t, func(t *testing.T, e storetest.Engine) {
		ts := staffTestServer(t, e)
		admin := ts.signIn(t, "admin@paper.example")
		res, body := admin.uploadExport(t, "auto", false, "ghost-5.json", exportFile(t, ghostFile))
		page := admin.finish(t, res, body)
		if !strings.Contains(page, "Ghost (.json)") || !strings.Contains(page, `id="import-report"`) {
			t.Errorf("ghost report:\n%s", page)
		}
		loc := res.Header.Get("Location")
		if _, ko := admin.get(t, loc+"?lang=ko"); !strings.Contains(ko, "가져온 결과") || !strings.Contains(ko, "<th scope=\"row\">기사</th>") {
			t.Errorf("Korean report:\n%s", ko)
		}
	})
}

func TestNewsroomImport_refusals(t *testing.T) {
	storetest.Each(t, func(t *testing.T, e storetest.Engine) {
		var dataDir string
		ts := staffTestServer(t, e, func(c *config.Config) { dataDir = c.DataDir })
		admin := ts.signIn(t, "admin@paper.example")
		before := ts.counts(t)

		t.Run("malformed record: refused with its number, nothing imported", func(t *testing.T) {
			res, body := admin.uploadExport(t, "auto", false, "baddate.xml", exportFile(t, "../importer/wordpress/testdata/baddate.xml"))
			page := admin.finish(t, res, body)
			if !strings.Contains(page, `id="import-refusal"`) || !strings.Contains(page, "Record ") || !strings.Contains(page, "is not a date") ||
				!strings.Contains(page, "Nothing was imported.") {
				t.Errorf("refusal:\n%s", page)
			}
			if ts.counts(t) != before {
				t.Error("a refused file wrote")
			}
			if n, _ := ts.db.CountRedirects(context.Background()); n != 0 {
				t.Errorf("%d redirects after a refusal", n)
			}
		})
		t.Run("broken JSON", func(t *testing.T) {
			res, body := admin.uploadExport(t, "ghost", false, "x.json", exportFile(t, "../importer/ghost/testdata/malformed/truncated.json"))
			page := admin.finish(t, res, body)
			if !strings.Contains(page, `id="import-refusal"`) {
				t.Errorf("truncated Ghost file:\n%s", page)
			}
		})
		cases := []struct {
			name, format, file string
			data               []byte
			status             int
			want               string
		}{
			{"neither XML nor JSON", "auto", "notes.txt", []byte("just some notes"), 422, "is neither a WordPress export"},
			{"kind chosen wrongly", "ghost", "paper.xml", exportFile(t, wxrFile), 422, "was to be a Ghost (.json) file but is a WordPress (.xml) file"},
			{"unknown kind", "drupal", "paper.xml", exportFile(t, wxrFile), 422, "Choose WordPress, Ghost"},
			{"no file", "auto", "", nil, 400, "Choose an export file"},
			{"empty file", "auto", "empty.xml", nil, 422, "is neither"},
		}
		for _, tc := range cases {
			t.Run(tc.name, func(t *testing.T) {
				res, body := admin.uploadExport(t, tc.format, false, tc.file, tc.data)
				if res.StatusCode != tc.status || !strings.Contains(body, tc.want) {
					t.Errorf("got %d, want %d with %q\n%s", res.StatusCode, tc.status, tc.want, body)
				}
			})
		}
		t.Run("wrong CSRF token", func(t *testing.T) {
			other := *admin
			other.csrf = "forged"
			res, body := other.uploadExport(t, "auto", false, "paper.xml", exportFile(t, wxrFile))
			if res.StatusCode != http.StatusForbidden {
				t.Errorf("got %d\n%s", res.StatusCode, body)
			}
		})
		if ts.counts(t) != before {
			t.Error("a refused upload wrote")
		}
		if left := uploads(t, dataDir); len(left) != 0 {
			t.Errorf("uploaded files left behind: %v", left)
		}
	})
}

// The size limit holds whether the body says its length, lies about it,
// or says nothing (chunked); nothing is kept of a refused file.
func TestNewsroomImport_sizeLimit(t *testing.T) {
	var dataDir string
	ts := staffTestServer(t, storetest.Engines(t)[0], func(c *config.Config) { c.ImportMaxMB = 1; dataDir = c.DataDir })
	admin := ts.signIn(t, "admin@paper.example")
	big := bytes.Repeat([]byte("<"), 1<<20+1)
	send := func(t *testing.T, body io.Reader, ctype string, length int64) (*http.Response, string) {
		req, err := http.NewRequest("POST", ts.URL+"/newsroom/import", body)
		if err != nil {
			t.Fatal(err)
		}
		req.ContentLength = length
		req.Header.Set("Content-Type", ctype)
		req.Header.Set("Cookie", "bs_staff="+admin.cookie)
		res, b := roundTrip(t, req)
		return res, string(b)
	}
	check := func(t *testing.T, res *http.Response, body string) {
		t.Helper()
		if res.StatusCode != http.StatusRequestEntityTooLarge || !strings.Contains(body, "import limit of 1 MB") {
			t.Errorf("got %d, want 413 naming the limit\n%s", res.StatusCode, body)
		}
	}
	t.Run("one byte over, length given", func(t *testing.T) {
		body, ctype := importForm(t, admin.csrf, "auto", false, "big.xml", big)
		res, out := send(t, body, ctype, int64(body.Len()))
		check(t, res, out)
	})
	t.Run("one byte over, chunked", func(t *testing.T) {
		body, ctype := importForm(t, admin.csrf, "auto", false, "big.xml", big)
		res, out := send(t, io.MultiReader(body), ctype, -1)
		check(t, res, out)
	})
	t.Run("a huge length, refused before reading", func(t *testing.T) {
		// Sent by hand: a client would not promise 5 GiB and send less.
		body, ctype := importForm(t, admin.csrf, "auto", false, "small.xml", []byte("<x/>"))
		conn, err := net.Dial("tcp", ts.Listener.Addr().String())
		if err != nil {
			t.Fatal(err)
		}
		defer conn.Close()
		fmt.Fprintf(conn, "POST /newsroom/import HTTP/1.1\r\nHost: paper.test\r\nContent-Type: %s\r\nCookie: bs_staff=%s\r\nContent-Length: %d\r\n\r\n%s",
			ctype, admin.cookie, int64(5)<<30, body.Bytes())
		res, err := http.ReadResponse(bufio.NewReader(conn), nil)
		if err != nil {
			t.Fatal(err)
		}
		defer res.Body.Close()
		out, _ := io.ReadAll(res.Body)
		check(t, res, string(out))
	})
	t.Run("just under the limit is taken", func(t *testing.T) {
		res, body := admin.uploadExport(t, "auto", true, "fits.xml", bytes.Repeat([]byte(" "), 1<<20-10))
		// Whitespace only: taken within the limit, then refused for what it is.
		if res.StatusCode != http.StatusUnprocessableEntity || !strings.Contains(body, "is neither") {
			t.Errorf("got %d\n%s", res.StatusCode, body)
		}
	})
	if left := uploads(t, dataDir); len(left) != 0 {
		t.Errorf("uploaded files left behind: %v", left)
	}
}

func TestNewsroomImport_onlyAdmins(t *testing.T) {
	ts := staffTestServer(t, storetest.Engines(t)[0])
	for _, r := range []account.Role{account.Reporter, account.Moderator, account.Editor} {
		b := ts.signIn(t, string(r)+"@paper.example")
		if res, _ := b.get(t, "/newsroom/import"); res.StatusCode != http.StatusForbidden {
			t.Errorf("%s: GET got %d, want 403", r, res.StatusCode)
		}
		if res, body := b.uploadExport(t, "auto", false, "paper.xml", exportFile(t, wxrFile)); res.StatusCode != http.StatusForbidden {
			t.Errorf("%s: upload got %d, want 403\n%s", r, res.StatusCode, body)
		}
		if _, home := b.get(t, "/newsroom/"); strings.Contains(home, `href="/newsroom/import"`) {
			t.Errorf("%s sees the import page in the navigation", r)
		}
	}
	res, _ := ts.get(t, "/newsroom/import")
	if res.StatusCode != http.StatusSeeOther || !strings.HasPrefix(res.Header.Get("Location"), "/newsroom/login") {
		t.Errorf("signed out: %d %q", res.StatusCode, res.Header.Get("Location"))
	}
	body, ctype := importForm(t, "x", "auto", false, "paper.xml", exportFile(t, wxrFile))
	req, _ := http.NewRequest("POST", ts.URL+"/newsroom/import", body)
	req.Header.Set("Content-Type", ctype)
	if res, _ := roundTrip(t, req); res.StatusCode != http.StatusSeeOther {
		t.Errorf("signed-out upload: %d, want 303 to the login", res.StatusCode)
	}
	admin := ts.signIn(t, "admin@paper.example")
	if res, _ := admin.get(t, "/newsroom/import/0123456789abcdef01234567"); res.StatusCode != http.StatusNotFound {
		t.Errorf("unknown job: %d, want 404", res.StatusCode)
	}
}
