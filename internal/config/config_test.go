package config

import (
	"flag"
	"io"
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
