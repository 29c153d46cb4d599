package config

import (
	"flag"
	"fmt"
	"io"
	"log/slog"
	"maps"
	"strings"
	"testing"
	"time"
)

func load(t *testing.T, args []string, env map[string]string) (*Config, error) {
	t.Helper()
	fs := flag.NewFlagSet("test", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	c := Register(fs, func(k string) string { return env[k] })
	if err := fs.Parse(args); err != nil {
		return nil, err
	}
	return c, c.Validate()
}

func TestLoad_flagsOverrideEnvironmentOverrideDefaults(t *testing.T) {
	c, err := load(t, nil, nil)
	if err != nil {
		t.Fatal(err)
	}
	if c.Addr != "127.0.0.1:8080" || c.DB != "data/broadsheet.db" || c.MediaDir != "data/media" || !c.PageCache {
		t.Errorf("defaults = %+v", c)
	}
	env := map[string]string{"BROADSHEET_ADDR": "127.0.0.1:9000", "BROADSHEET_PAGE_CACHE": "false", "BROADSHEET_DATA": "/srv/paper"}
	c, err = load(t, nil, env)
	if err != nil {
		t.Fatal(err)
	}
	if c.Addr != "127.0.0.1:9000" || c.PageCache || c.DB != "/srv/paper/broadsheet.db" {
		t.Errorf("from environment = %+v", c)
	}
	c, err = load(t, []string{"--addr", "127.0.0.1:7000", "--page-cache=true"}, env)
	if err != nil {
		t.Fatal(err)
	}
	if c.Addr != "127.0.0.1:7000" || !c.PageCache {
		t.Errorf("flags did not win: %+v", c)
	}
}

func TestValidate_refusesBadValues(t *testing.T) {
	for _, args := range [][]string{
		{"--addr", "8080"}, {"--base-url", "paper.example"}, {"--base-url", "https://paper.example/path"},
		{"--cache-mb", "0"}, {"--log-format", "xml"}, {"--log-level", "loud"},
		{"--db-timeout", "-1s"}, {"--db-timeout", "1ms"}, {"--db-timeout", "55s"},
		{"--image-memory-mb", "16"}, {"--image-memory-mb", "-1"},
		{"--db-max-conns", "-1"}, {"--db-max-conns", "1001"},
	} {
		if _, err := load(t, args, nil); err == nil {
			t.Errorf("%v accepted", args)
		}
	}
}

func TestLoad_dbTimeout(t *testing.T) {
	c, err := load(t, nil, nil)
	if err != nil || c.DBTimeout != DefaultDBTimeout {
		t.Errorf("default --db-timeout = %s (%v), want %s", c.DBTimeout, err, DefaultDBTimeout)
	}
	c, err = load(t, nil, map[string]string{"BROADSHEET_DB_TIMEOUT": "3s"})
	if err != nil || c.DBTimeout != 3*time.Second {
		t.Errorf("BROADSHEET_DB_TIMEOUT=3s gave %s (%v)", c.DBTimeout, err)
	}
	c, err = load(t, []string{"--db-timeout", "250ms"}, map[string]string{"BROADSHEET_DB_TIMEOUT": "3s"})
	if err != nil || c.DBTimeout != 250*time.Millisecond {
		t.Errorf("--db-timeout 250ms gave %s (%v)", c.DBTimeout, err)
	}
	if _, err := load(t, nil, map[string]string{"BROADSHEET_DB_TIMEOUT": "soon"}); err == nil {
		t.Error("BROADSHEET_DB_TIMEOUT=soon accepted")
	}
}

func TestLoad_dbMaxConns(t *testing.T) {
	c, err := load(t, nil, nil)
	if err != nil || c.DBMaxConns != 0 {
		t.Errorf("default: %d, %v; want 0, the engine's default", c.DBMaxConns, err)
	}
	c, err = load(t, []string{"--db-max-conns", "4"}, map[string]string{"BROADSHEET_DB_MAX_CONNS": "40"})
	if err != nil || c.DBMaxConns != 4 {
		t.Errorf("flag over the environment: %d, %v; want 4", c.DBMaxConns, err)
	}
	_, err = load(t, []string{"--db-max-conns", "5000"}, nil)
	if err == nil || !strings.Contains(err.Error(), "--db-max-conns 5000: want 1 to 1000") {
		t.Errorf("--db-max-conns 5000: %v, want an error naming the flag and the range", err)
	}
	if _, err := load(t, nil, map[string]string{"BROADSHEET_DB_MAX_CONNS": "many"}); err == nil {
		t.Error("BROADSHEET_DB_MAX_CONNS=many accepted")
	}
}

func TestLoad_imageMemory(t *testing.T) {
	c, err := load(t, nil, nil)
	if err != nil || c.ImageMemoryMB != 256 {
		t.Errorf("default: %d, %v; want 256", c.ImageMemoryMB, err)
	}
	c, err = load(t, nil, map[string]string{"BROADSHEET_IMAGE_MEMORY_MB": "512"})
	if err != nil || c.ImageMemoryMB != 512 {
		t.Errorf("from the environment: %d, %v; want 512", c.ImageMemoryMB, err)
	}
	c, err = load(t, []string{"--image-memory-mb", "128"}, map[string]string{"BROADSHEET_IMAGE_MEMORY_MB": "512"})
	if err != nil || c.ImageMemoryMB != 128 {
		t.Errorf("flag over the environment: %d, %v; want 128", c.ImageMemoryMB, err)
	}
}

func TestLoad_importMax(t *testing.T) {
	c, err := load(t, nil, nil)
	if err != nil || c.ImportMaxMB != 2048 {
		t.Errorf("default: %d, %v; want 2048 (2 GiB)", c.ImportMaxMB, err)
	}
	c, err = load(t, nil, map[string]string{"BROADSHEET_IMPORT_MAX_MB": "100"})
	if err != nil || c.ImportMaxMB != 100 {
		t.Errorf("from the environment: %d, %v; want 100", c.ImportMaxMB, err)
	}
	for _, bad := range []string{"-1", "1048577"} {
		if _, err := load(t, []string{"--import-max-mb", bad}, nil); err == nil || !strings.Contains(err.Error(), "--import-max-mb") {
			t.Errorf("--import-max-mb %s: %v, want an error naming the flag", bad, err)
		}
	}
}

func TestOriginFor(t *testing.T) {
	for addr, want := range map[string]string{
		"127.0.0.1:8080": "http://127.0.0.1:8080", "0.0.0.0:80": "http://localhost:80",
		"[::]:8080": "http://localhost:8080", "[::1]:8080": "http://[::1]:8080",
	} {
		if got := OriginFor(addr); got != want {
			t.Errorf("OriginFor(%q) = %q, want %q", addr, got, want)
		}
	}
}

func TestValidate_reportsMalformedEnvironment(t *testing.T) {
	for _, env := range []map[string]string{
		{"BROADSHEET_PAGE_CACHE": "off"}, {"BROADSHEET_DEMO": "yes please"}, {"BROADSHEET_CACHE_MB": "abc"},
		{"BROADSHEET_IMAGE_MEMORY_MB": "lots"},
	} {
		if _, err := load(t, nil, env); err == nil {
			t.Errorf("%v accepted", env)
		}
	}
}

func TestLoad_socialLoginProviders(t *testing.T) {
	c, err := load(t, nil, map[string]string{
		"BROADSHEET_AUTH_GOOGLE_CLIENT_ID": "g-id", "BROADSHEET_AUTH_GOOGLE_CLIENT_SECRET": "g-secret",
	})
	if err != nil || len(c.Logins) != 1 || c.Logins[0].Provider != "google" {
		t.Fatalf("Google configured: %+v, %v", c.Logins, err)
	}
	_, err = load(t, nil, map[string]string{"BROADSHEET_AUTH_TWITTER_CLIENT_ID": "only-the-id"})
	if err == nil || !strings.Contains(err.Error(), "BROADSHEET_AUTH_TWITTER_CLIENT_SECRET") {
		t.Errorf("a client id without its secret: %v, want an error naming the missing variable", err)
	}
}

func TestValidate_trustedProxies(t *testing.T) {
	c, err := load(t, []string{"--trusted-proxies", "10.0.0.0/8, 127.0.0.1,::1"}, nil)
	if err != nil || len(c.Proxies) != 3 || c.Proxies[1].String() != "127.0.0.1/32" {
		t.Fatalf("proxies: %v, %v", c.Proxies, err)
	}
	if _, err := load(t, []string{"--trusted-proxies", "10.0.0.0/8,proxy.internal"}, nil); err == nil || !strings.Contains(err.Error(), "proxy.internal") {
		t.Errorf("a host name: %v, want an error naming it", err)
	}
}

func TestLoad_mediaInS3(t *testing.T) {
	env := map[string]string{"BROADSHEET_S3_ENDPOINT": "http://127.0.0.1:7070/", "BROADSHEET_S3_ACCESS_KEY": "AKID",
		"BROADSHEET_S3_SECRET_KEY": "hush-hush-secret"}
	c, err := load(t, []string{"--media", "s3://paper-media/site/images/"}, env)
	if err != nil {
		t.Fatal(err)
	}
	want := S3{Endpoint: "http://127.0.0.1:7070", Bucket: "paper-media", Prefix: "site/images", AccessKey: "AKID", SecretKey: "hush-hush-secret", Region: "us-east-1"}
	if c.MediaS3 == nil || *c.MediaS3 != want || c.MediaDir != "" {
		t.Fatalf("got %+v, dir %q; want %+v and no folder", c.MediaS3, c.MediaDir, want)
	}
	if s := fmt.Sprintf("%v %+v %s", *c.MediaS3, c, c.MediaS3); strings.Contains(s, "hush-hush-secret") {
		t.Errorf("the secret shows when printed: %s", s)
	}
	var logged strings.Builder
	slog.New(slog.NewTextHandler(&logged, nil)).Info("media", "s3", *c.MediaS3)
	if strings.Contains(logged.String(), "hush") || !strings.Contains(logged.String(), "paper-media") {
		t.Errorf("logged as %s", logged.String())
	}
	c, err = load(t, []string{"--media", "/srv/media"}, env)
	if err != nil || c.MediaDir != "/srv/media" || c.MediaS3 != nil {
		t.Errorf("--media /srv/media: got dir %q, s3 %v, %v", c.MediaDir, c.MediaS3, err)
	}
}

func TestValidate_saysWhatIsWrongWithS3(t *testing.T) {
	full := map[string]string{"BROADSHEET_S3_ENDPOINT": "https://s3.example", "BROADSHEET_S3_ACCESS_KEY": "a", "BROADSHEET_S3_SECRET_KEY": "b"}
	without := func(k string) map[string]string {
		m := maps.Clone(full)
		delete(m, k)
		return m
	}
	for _, tt := range []struct {
		media string
		env   map[string]string
		want  string
	}{
		{"s3://", full, "want s3://bucket"},
		{"s3://Paper_Media", full, "not a bucket name"},
		{"s3://ab", full, "not a bucket name"},
		{"s3://paper/../x", full, "dot or escaped segment"},
		{"s3://paper?x=1", full, "want s3://bucket"},
		{"gs://paper", full, "want a folder, or s3://"},
		{"s3://paper", without("BROADSHEET_S3_ENDPOINT"), "BROADSHEET_S3_ENDPOINT is required"},
		{"s3://paper", without("BROADSHEET_S3_SECRET_KEY"), "BROADSHEET_S3_SECRET_KEY are both required"},
		{"s3://paper", without("BROADSHEET_S3_ACCESS_KEY"), "BROADSHEET_S3_ACCESS_KEY and"},
		{"s3://paper", map[string]string{"BROADSHEET_S3_ENDPOINT": "s3.example", "BROADSHEET_S3_ACCESS_KEY": "a", "BROADSHEET_S3_SECRET_KEY": "b"}, "want an origin"},
		{"s3://paper", map[string]string{"BROADSHEET_S3_ENDPOINT": "https://s3.example/paper", "BROADSHEET_S3_ACCESS_KEY": "a", "BROADSHEET_S3_SECRET_KEY": "b"}, "want an origin"},
	} {
		_, err := load(t, []string{"--media", tt.media}, tt.env)
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("--media %s with %v: got %v, want an error saying %q", tt.media, tt.env, err, tt.want)
		}
	}
}

func TestValidate_purgeURL(t *testing.T) {
	c, err := load(t, nil, map[string]string{"BROADSHEET_PURGE_URL": "http://127.0.0.1:6081/"})
	if err != nil || c.PurgeURL != "http://127.0.0.1:6081/" {
		t.Fatalf("from environment: %q, %v", c.PurgeURL, err)
	}
	for _, bad := range []string{"127.0.0.1:6081", "ftp://cache/", "http://"} {
		if _, err := load(t, []string{"--purge-url", bad}, nil); err == nil || !strings.Contains(err.Error(), "--purge-url") {
			t.Errorf("--purge-url %q: %v, want an error naming the flag", bad, err)
		}
	}
}

func TestValidate_purgeURLErrorKeepsThePasswordOut(t *testing.T) {
	for _, bad := range []string{"ftp://varnish:s3cret@cache/", "http://varnish:s3cret@", "http://varnish:s3cret@cache:port/"} {
		_, err := load(t, []string{"--purge-url", bad}, nil)
		if err == nil || !strings.Contains(err.Error(), "--purge-url") {
			t.Fatalf("--purge-url %q: %v, want an error naming the flag", bad, err)
		}
		if strings.Contains(err.Error(), "s3cret") {
			t.Errorf("--purge-url %q: the error shows the password: %v", bad, err)
		}
	}
}
