//go:build unix

package store

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"syscall"
)

// sqliteDMSByte is the byte of the -shm file on which every connection to
// a WAL database holds a shared lock for as long as it is open (SQLite's
// "dead man switch", UNIX_SHM_DMS in os_unix.c). If another process holds
// it, the database is in use, even by a server that is idle.
const sqliteDMSByte = 128

// sqliteInUse reports whether another process has the SQLite database at
// path open, by trying to take that byte's lock for writing. A database
// with no -shm file is not open in WAL mode anywhere.
func sqliteInUse(path string) (bool, error) {
	f, err := os.OpenFile(path+"-shm", os.O_RDWR, 0)
	if errors.Is(err, fs.ErrNotExist) {
		return false, nil
	}
	if err != nil {
		return false, fmt.Errorf("check whether %s is in use: %w", path, err)
	}
	defer func() { _ = f.Close() }() // closing releases the lock taken below
	lk := syscall.Flock_t{Type: syscall.F_WRLCK, Whence: 0, Start: sqliteDMSByte, Len: 1}
	err = syscall.FcntlFlock(f.Fd(), syscall.F_SETLK, &lk)
	if errors.Is(err, syscall.EAGAIN) || errors.Is(err, syscall.EACCES) {
		return true, nil
	}
	if err != nil {
		return false, fmt.Errorf("check whether %s is in use: %w", path, err)
	}
	return false, nil
}
