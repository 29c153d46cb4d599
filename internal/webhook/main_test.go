package webhook_test

import (
	"os"
	"testing"

	"broadsheet/internal/store/storetest"
)

func TestMain(m *testing.M) {
	storetest.Migrated = true
	storetest.Parallel = true
	code := m.Run()
	storetest.RemoveTemplates()
	os.Exit(code)
}
