package e2e

import (
	"context"
	"errors"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/oauth2-proxy/mockoidc"
)

// site is what every test shares: one server and one browser. Starting
// chromium costs about a second, so the tests open tabs in it instead.
var site struct {
	baseURL string          // http://127.0.0.1:PORT of the server under test
	browser context.Context // chromedp context of the shared browser
	outDir  string          // screenshots: <module root>/test-output/e2e
	server  *server
	bin     string // the broadsheet binary under test
	dataDir string // its data folder, for the command line to use too

	oidc *mockoidc.MockOIDC // the OpenID Connect provider: QueueUser signs in another reader
}

func TestMain(m *testing.M) {
	// runTests returns the exit code, so that its deferred cleanups (server,
	// browser, temp folders) run before os.Exit.
	os.Exit(runTests(m))
}

func runTests(m *testing.M) int {
	chromium, err := findChromium()
	if err != nil {
		if os.Getenv("CI") == "true" {
			fmt.Fprintf(os.Stderr, "e2e: %v; CI=true requires the browser tests to run\n", err)
			return 1
		}
		fmt.Println("e2e: browser tests skipped: chromium is not installed")
		return 0
	}
	defer tearDown() // also after a failed setUp, which may have started things
	if err := setUp(chromium); err != nil {
		fmt.Fprintln(os.Stderr, "e2e: set up:", err)
		return 1
	}
	code := m.Run()
	if code != 0 {
		// The server's log (with its access log) often explains a failure.
		fmt.Fprintf(os.Stderr, "e2e: broadsheet's log:\n%s", site.server.log())
	}
	return code
}

// findChromium returns Debian's chromium, or the first chromium on PATH.
func findChromium() (string, error) {
	const debian = "/usr/bin/chromium"
	if _, err := os.Stat(debian); err == nil {
		return debian, nil
	}
	path, err := exec.LookPath("chromium")
	if err != nil {
		return "", errors.New("chromium is not installed")
	}
	return path, nil
}

// cleanups run in reverse order by tearDown.
var cleanups []func()

func tearDown() {
	for i := len(cleanups) - 1; i >= 0; i-- {
		cleanups[i]()
	}
}

func setUp(chromium string) error {
	root, err := filepath.Abs("..") // go test runs in the package folder
	if err != nil {
		return err
	}
	site.outDir = filepath.Join(root, "test-output", "e2e")
	if err := os.MkdirAll(site.outDir, 0o755); err != nil {
		return err
	}
	tmp, err := os.MkdirTemp("", "broadsheet-e2e-")
	if err != nil {
		return err
	}
	cleanups = append(cleanups, func() { os.RemoveAll(tmp) })

	bin := filepath.Join(tmp, "broadsheet")
	build := exec.Command("go", "build", "-o", bin, "./cmd/broadsheet")
	build.Dir = root
	if out, err := build.CombinedOutput(); err != nil {
		return fmt.Errorf("build broadsheet: %w\n%s", err, out)
	}

	// A real OpenID Connect provider on 127.0.0.1 for the comment tests:
	// it signs in its test user without a form and sends the browser back.
	op, err := mockoidc.NewServer(nil)
	if err != nil {
		return fmt.Errorf("mockoidc: %w", err)
	}
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return err
	}
	if err := op.Start(ln, nil); err != nil {
		return fmt.Errorf("mockoidc: %w", err)
	}
	cleanups = append(cleanups, func() { _ = op.Shutdown() })

	site.oidc = op
	site.bin, site.dataDir = bin, filepath.Join(tmp, "data")
	srv, err := startServer(bin, site.dataDir,
		"BROADSHEET_AUTH_OIDC_CLIENT_ID="+op.ClientID, "BROADSHEET_AUTH_OIDC_CLIENT_SECRET="+op.ClientSecret,
		"BROADSHEET_AUTH_OIDC_ISSUER="+op.Issuer(), "BROADSHEET_AUTH_OIDC_NAME=Local ID")
	if err != nil {
		return err
	}
	cleanups = append(cleanups, srv.stop)
	site.server, site.baseURL = srv, srv.baseURL

	return startBrowser(chromium, filepath.Join(tmp, "profile"))
}

// startBrowser starts one headless chromium for all tests.
func startBrowser(chromium, profileDir string) error {
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(chromium),
		chromedp.UserDataDir(profileDir),
		chromedp.NoSandbox, // CI runs as root, where the sandbox cannot start
		chromedp.DisableGPU,
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		// chromedp loses track of the DOM of a page restored from the
		// back/forward cache (NavigateBack waits for ever), so Back reloads.
		// The first two features are chromedp's defaults, which this replaces.
		chromedp.Flag("disable-features", "Translate,BlinkGenPropertyTrees,BackForwardCache"),
		// The site picks its language from Accept-Language, so pin it.
		chromedp.Flag("lang", "en-US"),
		chromedp.Flag("accept-lang", "en-US"),
	)
	allocCtx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancelBrowser := chromedp.NewContext(allocCtx)
	cleanups = append(cleanups, func() {
		// Close gracefully first, so chromium removes its profile lock.
		// Cancel needs the chromedp context, so the timeout derives from it.
		closeCtx, cancel := context.WithTimeout(ctx, 10*time.Second)
		defer cancel()
		_ = chromedp.Cancel(closeCtx)
		cancelBrowser()
		cancelAlloc()
	})
	// Start the browser now: a broken chromium then fails once, here,
	// and not in every test. The browser lives as long as ctx, so this
	// must not be a context with a timeout.
	if err := chromedp.Do(ctx); err != nil {
		return fmt.Errorf("start chromium: %w", err)
	}
	site.browser = ctx
	return nil
}
