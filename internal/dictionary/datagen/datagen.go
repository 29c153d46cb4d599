// Package datagen writes the dictionary's generated data files: the
// WordNet and pronunciation data that cmd/dictgen and cmd/prongen make
// from Debian's packages, each gzipped and with its licence beside it.
package datagen

import (
	"bytes"
	"compress/gzip"
	"fmt"
	"os"
	"path/filepath"
)

// Write gzips body (at the best compression: the file is made once and
// embedded in every binary) into out, and writes licence beside it as
// licenceName. It returns the compressed size.
func Write(out string, body []byte, licenceName string, licence []byte) (int, error) {
	var gz bytes.Buffer
	zw, err := gzip.NewWriterLevel(&gz, gzip.BestCompression)
	if err != nil {
		return 0, err
	}
	if _, err := zw.Write(body); err != nil {
		return 0, err
	}
	if err := zw.Close(); err != nil {
		return 0, err
	}
	if err := os.WriteFile(out, gz.Bytes(), 0o644); err != nil {
		return 0, fmt.Errorf("write output: %w", err)
	}
	if err := os.WriteFile(filepath.Join(filepath.Dir(out), licenceName), licence, 0o644); err != nil {
		return 0, fmt.Errorf("write licence: %w", err)
	}
	return gz.Len(), nil
}
