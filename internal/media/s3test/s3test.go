// Package s3test runs a real S3 gateway for tests: versitygw, which
// checks every request's signature, serving buckets from a temporary
// folder on a free port of 127.0.0.1. Each test starts its own, so it can
// stop it and start it again.
//
// The binary is $BROADSHEET_TEST_S3_GATEWAY (scripts/test installs it
// and sets it), else versitygw in the cache where scripts/test builds it,
// on the PATH, or in ~/go/bin. Without it a
// test skips with one line, or fails when CI=true.
package s3test

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"github.com/minio/minio-go/v7"
	"github.com/minio/minio-go/v7/pkg/credentials"
)

// Gateway is one versitygw process and the folder it keeps buckets in.
type Gateway struct {
	Endpoint  string // "http://127.0.0.1:PORT"
	AccessKey string
	SecretKey string
	addr      string
	dir       string
	bin       string
	mu        sync.Mutex
	cmd       *exec.Cmd     // nil while stopped
	exited    chan struct{} // closed when cmd has exited
}

// Binary finds the gateway's binary, or returns "".
func Binary() string {
	if p := os.Getenv("BROADSHEET_TEST_S3_GATEWAY"); p != "" {
		return p
	}
	if dir, err := os.UserCacheDir(); err == nil && isFile(filepath.Join(dir, "broadsheet", "bin", "versitygw")) {
		return filepath.Join(dir, "broadsheet", "bin", "versitygw") // where scripts/test builds it
	}
	if p, err := exec.LookPath("versitygw"); err == nil {
		return p
	}
	if home, err := os.UserHomeDir(); err == nil && isFile(filepath.Join(home, "go", "bin", "versitygw")) {
		return filepath.Join(home, "go", "bin", "versitygw")
	}
	return ""
}

func isFile(p string) bool {
	st, err := os.Stat(p)
	return err == nil && !st.IsDir()
}

// Start starts a gateway for t with fresh keys, stopped when t ends.
func Start(t testing.TB) *Gateway {
	t.Helper()
	bin := Binary()
	if bin == "" {
		if os.Getenv("CI") == "true" {
			t.Fatal("no S3 gateway: set BROADSHEET_TEST_S3_GATEWAY to a versitygw binary (scripts/test installs one)")
		}
		t.Skip("no S3 gateway (versitygw); set BROADSHEET_TEST_S3_GATEWAY or run scripts/test")
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	g := &Gateway{Endpoint: "http://" + addr, AccessKey: "AK" + randHex(8), SecretKey: randHex(20),
		addr: addr, dir: filepath.Join(t.TempDir(), "buckets"), bin: bin}
	if err := os.MkdirAll(g.dir, 0o755); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(g.Stop)
	g.Restart(t)
	return g
}

// Restart starts the gateway again, on the same address and folder,
// after Stop; it returns once the gateway accepts connections.
func (g *Gateway) Restart(t testing.TB) {
	t.Helper()
	g.mu.Lock()
	defer g.mu.Unlock()
	if g.cmd != nil {
		t.Fatal("s3test: the gateway is already running")
	}
	log := &bytes.Buffer{}
	cmd := exec.Command(g.bin, "--port", g.addr, "--quiet", "posix", g.dir)
	cmd.Env = append(os.Environ(), "ROOT_ACCESS_KEY="+g.AccessKey, "ROOT_SECRET_KEY="+g.SecretKey)
	cmd.Stdout, cmd.Stderr = log, log
	if err := cmd.Start(); err != nil {
		t.Fatalf("s3test: start %s: %v", g.bin, err)
	}
	exited := make(chan struct{})
	go func() {
		_ = cmd.Wait()
		close(exited)
	}()
	for deadline := time.Now().Add(15 * time.Second); ; time.Sleep(20 * time.Millisecond) {
		if c, err := net.DialTimeout("tcp", g.addr, 200*time.Millisecond); err == nil {
			_ = c.Close()
			g.cmd, g.exited = cmd, exited
			return
		}
		select {
		case <-exited:
			t.Fatalf("s3test: the gateway exited at start: %s", log.String())
		default:
		}
		if time.Now().After(deadline) {
			_ = cmd.Process.Kill()
			<-exited
			t.Fatalf("s3test: the gateway did not listen on %s within 15 s: %s", g.addr, log.String())
		}
	}
}

// Stop kills the gateway and waits until it has exited; its buckets stay
// in its folder for Restart. Stopping a stopped gateway does nothing.
func (g *Gateway) Stop() {
	g.mu.Lock()
	defer g.mu.Unlock()
	if g.cmd == nil {
		return
	}
	_ = g.cmd.Process.Kill()
	<-g.exited
	g.cmd, g.exited = nil, nil
}

// Client is an S3 client with the gateway's keys, for a test to set up
// and inspect buckets through the S3 API.
func (g *Gateway) Client(t testing.TB) *minio.Client {
	t.Helper()
	c, err := minio.New(g.addr, &minio.Options{Creds: credentials.NewStaticV4(g.AccessKey, g.SecretKey, ""),
		Region: "us-east-1", BucketLookup: minio.BucketLookupPath})
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// MakeBucket creates a bucket.
func (g *Gateway) MakeBucket(t testing.TB, name string) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := g.Client(t).MakeBucket(ctx, name, minio.MakeBucketOptions{}); err != nil {
		t.Fatalf("s3test: make bucket %s: %v", name, err)
	}
}

// Objects lists the names of the objects in bucket under prefix, sorted.
func (g *Gateway) Objects(t testing.TB, bucket, prefix string) []string {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	var names []string
	for o := range g.Client(t).ListObjects(ctx, bucket, minio.ListObjectsOptions{Prefix: prefix, Recursive: true}) {
		if o.Err != nil {
			t.Fatalf("s3test: list %s/%s: %v", bucket, prefix, o.Err)
		}
		names = append(names, o.Key)
	}
	return names
}

func randHex(n int) string {
	b := make([]byte, n)
	_, _ = rand.Read(b)
	return hex.EncodeToString(b)
}
