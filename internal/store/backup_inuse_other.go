//go:build !unix

package store

// sqliteInUse cannot tell on this system; the operator stops the server.
func sqliteInUse(string) (bool, error) { return false, nil }
