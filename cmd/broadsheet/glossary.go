package main

import (
	"broadsheet/internal/audit"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"golang.org/x/text/language"

	"broadsheet/internal/account"
	"broadsheet/internal/config"
	"broadsheet/internal/glossary"
	"broadsheet/internal/store"
)

// operator is who the command line acts as, in the audit log too:
// whoever can run it can already write to the database.
var operator = account.Staff{Name: "command line", Role: account.Admin}

// glossaryImport loads a CSV file or a dictd database (a FreeDict
// dictionary) into the glossary, all entries or none.
//
//	broadsheet glossary import [--lang ko] FILE.csv | FILE.index | FILE.dict[.dz]
func glossaryImport(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	var lang string
	cfg, files, err := parseWithFiles("glossary import", args, getenv, stderr, func(fs *flag.FlagSet) {
		fs.StringVar(&lang, "lang", "", "language of a dictd file's translations, such as ko (default: from a FreeDict name such as eng-kor)")
	})
	if err != nil {
		return err
	}
	if len(files) != 1 {
		return errors.New("glossary import needs one file: a .csv, or a dictd .index with its .dict or .dict.dz beside it")
	}
	rows, err := readGlossaryFile(files[0], lang, stdout)
	if err != nil {
		return reportImportError(err, stderr)
	}
	db, err := store.Open(ctx, cfg.DB)
	if err != nil {
		return err
	}
	defer db.Close()
	svc := glossary.NewService(db, nil)
	svc.SetAudit(audit.New(db, nil, nil))
	res, err := svc.Import(ctx, operator, rows)
	if err != nil {
		return reportImportError(err, stderr)
	}
	fmt.Fprintf(stdout, "imported %s: %d added, %d updated, %d unchanged\n", files[0], res.Added, res.Updated, res.Unchanged)
	return nil
}

// readGlossaryFile reads rows from a file, telling the format by its name.
func readGlossaryFile(name, lang string, stdout io.Writer) ([]glossary.Row, error) {
	lower := strings.ToLower(name)
	if strings.HasSuffix(lower, ".csv") {
		f, err := os.Open(name)
		if err != nil {
			return nil, err
		}
		defer func() { _ = f.Close() }() // read only
		return glossary.ReadCSV(f)
	}
	var base string
	for _, ext := range []string{".index", ".dict.dz", ".dict"} {
		if strings.HasSuffix(lower, ext) {
			base = name[:len(name)-len(ext)]
			break
		}
	}
	if base == "" {
		return nil, fmt.Errorf("cannot tell the format of %s: name a .csv file, or a dictd .index with its .dict or .dict.dz beside it", name)
	}
	if lang == "" {
		guessed, ok := langFromFreeDictName(base)
		if !ok {
			return nil, fmt.Errorf("--lang is required for %s: the language of its translations, such as ko", name)
		}
		lang = guessed
		fmt.Fprintf(stdout, "translations taken as %s, from the file name; set --lang to say otherwise\n", lang)
	}
	norm, err := glossary.NormalizeLang(lang)
	if err != nil {
		return nil, fmt.Errorf("--lang %w", err)
	}
	index, err := os.Open(base + ".index")
	if err != nil {
		return nil, err
	}
	defer func() { _ = index.Close() }() // read only
	dict, err := os.Open(base + ".dict.dz")
	if errors.Is(err, os.ErrNotExist) {
		dict, err = os.Open(base + ".dict")
	}
	if err != nil {
		return nil, fmt.Errorf("no .dict.dz or .dict beside %s.index: %w", base, err)
	}
	defer func() { _ = dict.Close() }()
	return glossary.ReadDictd(index, dict, norm)
}

// langFromFreeDictName reads the target language of a FreeDict file name
// such as eng-kor (ISO 639-3, which canonicalises to ko).
func langFromFreeDictName(base string) (string, bool) {
	_, target, ok := strings.Cut(filepath.Base(base), "-")
	if !ok {
		return "", false
	}
	tag, err := language.Parse(target)
	if err != nil {
		return "", false
	}
	if _, conf := tag.Base(); conf == language.No {
		return "", false
	}
	return tag.String(), true
}

// reportImportError lists each bad row on stderr and returns a short error.
func reportImportError(err error, stderr io.Writer) error {
	var le *glossary.LimitError
	if errors.As(err, &le) {
		return fmt.Errorf("nothing imported: %s", le.Msg)
	}
	var ie *glossary.ImportError
	if !errors.As(err, &ie) {
		return err
	}
	for _, r := range ie.Rows {
		if r.Row > 0 {
			fmt.Fprintf(stderr, "row %d: %s\n", r.Row, r.Reason)
		} else {
			fmt.Fprintln(stderr, r.Reason)
		}
	}
	if ie.Bad > len(ie.Rows) {
		fmt.Fprintf(stderr, "… and %d more\n", ie.Bad-len(ie.Rows))
	}
	return fmt.Errorf("nothing imported: %d bad row(s)", ie.Bad)
}

// glossaryExport writes the whole glossary as CSV, which import reads.
//
//	broadsheet glossary export [--out FILE]
func glossaryExport(ctx context.Context, args []string, getenv func(string) string, stdout, stderr io.Writer) error {
	var out string
	cfg, err := parse("glossary export", args, getenv, stderr, func(fs *flag.FlagSet) {
		fs.StringVar(&out, "out", "", "file to write (default: standard output)")
	})
	if err != nil {
		return err
	}
	db, err := store.Open(ctx, cfg.DB)
	if err != nil {
		return err
	}
	defer db.Close()
	w := stdout
	var f *os.File
	if out != "" {
		if f, err = os.Create(out); err != nil {
			return err
		}
		w = f
	}
	cw, err := glossary.NewCSVWriter(w)
	if err == nil {
		err = db.EachGlossaryEntry(ctx, cw.Write)
	}
	if err == nil {
		err = cw.Flush()
	}
	if f != nil {
		if cerr := f.Close(); err == nil {
			err = cerr
		}
	}
	return err
}

// parseWithFiles is parse for commands that also take file names; flags
// may come before or after them.
func parseWithFiles(name string, args []string, getenv func(string) string, stderr io.Writer, extra func(*flag.FlagSet)) (*config.Config, []string, error) {
	fs := flag.NewFlagSet("broadsheet "+name, flag.ContinueOnError)
	fs.SetOutput(stderr)
	cfg := config.Register(fs, getenv)
	if extra != nil {
		extra(fs)
	}
	var files []string
	for {
		if err := fs.Parse(args); err != nil {
			return nil, nil, err
		}
		if fs.NArg() == 0 {
			break
		}
		files = append(files, fs.Arg(0))
		args = fs.Args()[1:]
	}
	return cfg, files, cfg.Validate()
}
