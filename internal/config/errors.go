package config

import (
	"fmt"
	"strings"
)

// FileError is a problem located in a configuration file.
type FileError struct {
	File string
	Pos  Position // zero when unknown
	Msg  string
}

func (e *FileError) Error() string {
	if e.Pos.Line == 0 {
		return fmt.Sprintf("%s: %s", e.File, e.Msg)
	}
	return fmt.Sprintf("%s:%d:%d: %s", e.File, e.Pos.Line, e.Pos.Column, e.Msg)
}

// Errors is a list of problems reported together; its first line names the first location.
type Errors []error

func (es Errors) Error() string {
	msgs := make([]string, len(es))
	for i, e := range es {
		msgs[i] = e.Error()
	}
	return strings.Join(msgs, "\n")
}

// Unwrap exposes the individual errors to errors.Is/As.
func (es Errors) Unwrap() []error { return es }

// errOrNil returns nil for an empty list, the single error for one, and the list otherwise.
func (es Errors) errOrNil() error {
	switch len(es) {
	case 0:
		return nil
	case 1:
		return es[0]
	}
	return es
}

// problem is a validation failure at a key path of the file being validated.
type problem struct {
	path []string
	msg  string
}

// problems collects validation failures.
type problems []problem

func (ps *problems) add(path []string, format string, args ...any) {
	*ps = append(*ps, problem{path: append([]string(nil), path...), msg: fmt.Sprintf(format, args...)})
}

// locate turns problems into FileErrors positioned via the file's key index.
func (ps problems) locate(file string, doc []byte) Errors {
	if len(ps) == 0 {
		return nil
	}
	idx := indexKeys(doc)
	out := make(Errors, 0, len(ps))
	for _, p := range ps {
		pos, _ := idx.lookup(p.path)
		out = append(out, &FileError{File: file, Pos: pos, Msg: p.msg})
	}
	return out
}

// sub returns path extended by elems, without aliasing path's storage.
func sub(path []string, elems ...string) []string {
	return append(append(make([]string, 0, len(path)+len(elems)), path...), elems...)
}
