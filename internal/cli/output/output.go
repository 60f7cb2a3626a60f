// Package output writes command results as a table, JSON, CSV or Markdown.
package output

import (
	"bufio"
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"reflect"
	"runtime"
	"slices"
	"strings"

	"github.com/rivo/uniseg"

	"github.com/azlforge/azldev/internal/foundation/parallel"
)

// Format is an output format name.
type Format string

// Output formats.
const (
	Table    Format = "table"
	JSON     Format = "json"
	CSV      Format = "csv"
	Markdown Format = "markdown"
)

// Formats lists the accepted format names.
var Formats = []string{string(Table), string(JSON), string(CSV), string(Markdown)}

// ParseFormat validates a format name.
func ParseFormat(s string) (Format, error) {
	if slices.Contains(Formats, s) {
		return Format(s), nil
	}
	return "", fmt.Errorf("invalid output format %q (want one of %s)", s, strings.Join(Formats, ", "))
}

// Rows is tabular data: column headers and rows of cells.
type Rows struct {
	Columns []string
	Rows    [][]string
}

// Writer renders results in one format.
type Writer struct {
	Out    io.Writer
	Format Format
	Width  int // terminal width for tables; 0 = unlimited
}

// Write renders value as JSON, or rows in the tabular formats.
func (w *Writer) Write(value any, rows Rows) error {
	if w.Format == JSON {
		return WriteJSON(w.Out, value)
	}
	rows = dropEmptyColumns(rows)
	switch w.Format {
	case CSV:
		return writeCSV(w.Out, rows)
	case Markdown:
		return writeMarkdown(w.Out, rows)
	}
	return writeTable(w.Out, rows, w.Width)
}

// WriteJSON pretty-prints v with two-space indentation and a final newline,
// escaping <, > and & as \u003c, \u003e and \u0026. The elements of a large
// top-level slice are encoded concurrently; the bytes are the same.
func WriteJSON(out io.Writer, v any) error {
	rv := reflect.ValueOf(v)
	if rv.Kind() != reflect.Slice || rv.Len() < parallelJSONThreshold {
		var buf bytes.Buffer
		enc := json.NewEncoder(&buf)
		enc.SetIndent("", "  ")
		if err := enc.Encode(v); err != nil {
			return err
		}
		_, err := out.Write(buf.Bytes())
		return err
	}
	return writeJSONArray(out, rv)
}

// parallelJSONThreshold is the slice length from which elements are encoded concurrently.
const parallelJSONThreshold = 512

func writeJSONArray(out io.Writer, rv reflect.Value) error {
	n := rv.Len()
	parts, err := parallel.Map(context.Background(), parallel.Split(n, runtime.GOMAXPROCS(0)), parallel.Options{Mode: parallel.CollectAll},
		func(_ context.Context, _ int, r parallel.Range) ([]byte, error) {
			return encodeElements(rv, r.Lo, r.Hi, r.Hi == n)
		})
	if err != nil {
		return err
	}
	bw := bufio.NewWriterSize(out, 1<<16)
	bw.WriteString("[\n")
	for _, p := range parts {
		bw.Write(p)
	}
	bw.WriteString("]\n")
	return bw.Flush()
}

// encodeElements renders elements [lo,hi) as they appear inside an indented array.
func encodeElements(rv reflect.Value, lo, hi int, last bool) ([]byte, error) {
	var buf bytes.Buffer
	for i := lo; i < hi; i++ {
		b, err := json.MarshalIndent(rv.Index(i).Interface(), "  ", "  ")
		if err != nil {
			return nil, err
		}
		buf.WriteString("  ")
		buf.Write(b)
		if i < hi-1 || !last {
			buf.WriteByte(',')
		}
		buf.WriteByte('\n')
	}
	return buf.Bytes(), nil
}

// dropEmptyColumns removes columns whose every cell is empty.
func dropEmptyColumns(r Rows) Rows {
	keep := make([]int, 0, len(r.Columns))
	for c := range r.Columns {
		for _, row := range r.Rows {
			if c < len(row) && row[c] != "" {
				keep = append(keep, c)
				break
			}
		}
	}
	if len(r.Rows) == 0 || len(keep) == len(r.Columns) {
		return r
	}
	out := Rows{Columns: pickCells(r.Columns, keep)}
	for _, row := range r.Rows {
		out.Rows = append(out.Rows, pickCells(row, keep))
	}
	return out
}

func pickCells(cells []string, idx []int) []string {
	out := make([]string, len(idx))
	for i, c := range idx {
		if c < len(cells) {
			out[i] = cells[c]
		}
	}
	return out
}

func writeCSV(out io.Writer, r Rows) error {
	cw := csv.NewWriter(out)
	if err := cw.Write(r.Columns); err != nil {
		return err
	}
	if err := cw.WriteAll(r.Rows); err != nil {
		return err
	}
	return cw.Error()
}

func writeMarkdown(out io.Writer, r Rows) error {
	var b strings.Builder
	line := func(cells []string) {
		b.WriteString("|")
		for _, c := range cells {
			c = strings.ReplaceAll(strings.ReplaceAll(c, "|", `\|`), "\n", "<br>")
			b.WriteString(" " + c + " |")
		}
		b.WriteString("\n")
	}
	line(r.Columns)
	sep := make([]string, len(r.Columns))
	for i := range sep {
		sep[i] = "---"
	}
	line(sep)
	for _, row := range r.Rows {
		line(row)
	}
	_, err := io.WriteString(out, b.String())
	return err
}

// writeTable draws a rounded box table with upper-cased headers. When width
// is set, the widest columns are truncated (with …) until the table fits.
func writeTable(out io.Writer, r Rows, width int) error {
	if len(r.Columns) == 0 || len(r.Rows) == 0 {
		return nil // an empty box says nothing; callers log a summary
	}
	headers := make([]string, len(r.Columns))
	for i, c := range r.Columns {
		headers[i] = strings.ToUpper(c)
	}
	widths := columnWidths(headers, r.Rows)
	fit(widths, headers, width)
	var b strings.Builder
	rule := func(l, m, rr string) {
		b.WriteString(l)
		for i, w := range widths {
			if i > 0 {
				b.WriteString(m)
			}
			b.WriteString(strings.Repeat("─", w+2))
		}
		b.WriteString(rr + "\n")
	}
	row := func(cells []string) {
		b.WriteString("│")
		for i, w := range widths {
			cell := ""
			if i < len(cells) {
				cell = cells[i]
			}
			cell = truncate(strings.ReplaceAll(cell, "\n", " "), w)
			b.WriteString(" " + cell + strings.Repeat(" ", w-uniseg.StringWidth(cell)) + " │")
		}
		b.WriteString("\n")
	}
	rule("╭", "┬", "╮")
	row(headers)
	rule("├", "┼", "┤")
	for _, r := range r.Rows {
		row(r)
	}
	rule("╰", "┴", "╯")
	_, err := io.WriteString(out, b.String())
	return err
}

func columnWidths(headers []string, rows [][]string) []int {
	widths := make([]int, len(headers))
	for i, h := range headers {
		widths[i] = uniseg.StringWidth(h)
	}
	for _, row := range rows {
		for i := range widths {
			if i < len(row) {
				widths[i] = max(widths[i], uniseg.StringWidth(strings.ReplaceAll(row[i], "\n", " ")))
			}
		}
	}
	return widths
}

// fit shrinks the widest column, one cell at a time, until the table fits width.
func fit(widths []int, headers []string, width int) {
	if width <= 0 {
		return
	}
	total := func() int {
		t := 1
		for _, w := range widths {
			t += w + 3
		}
		return t
	}
	for total() > width {
		widest := 0
		for i, w := range widths {
			if w > widths[widest] {
				widest = i
			}
		}
		minW := max(uniseg.StringWidth(headers[widest]), 8)
		if widths[widest] <= minW {
			return
		}
		widths[widest]--
	}
}

// truncate shortens s to at most w display cells, ending with … when cut.
func truncate(s string, w int) string {
	if uniseg.StringWidth(s) <= w {
		return s
	}
	var b strings.Builder
	used := 0
	g := uniseg.NewGraphemes(s)
	for g.Next() {
		cw := g.Width()
		if used+cw > w-1 {
			break
		}
		b.WriteString(g.Str())
		used += cw
	}
	return b.String() + "…"
}
