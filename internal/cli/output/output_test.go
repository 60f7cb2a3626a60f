package output

import (
	"bytes"
	"encoding/json"
	"fmt"
	"strings"
	"testing"
)

type item struct {
	Name  string            `json:"name"`
	Tags  []string          `json:"tags,omitempty"`
	Attrs map[string]string `json:"attrs,omitempty"`
}

// TestWriteJSONParallelMatchesEncoder checks that concurrent element encoding
// produces exactly the bytes of a plain indented encoder.
func TestWriteJSONParallelMatchesEncoder(t *testing.T) {
	for _, n := range []int{0, 1, parallelJSONThreshold - 1, parallelJSONThreshold, 3*parallelJSONThreshold + 7} {
		items := make([]item, n)
		for i := range items {
			items[i] = item{Name: fmt.Sprintf("p<%d>&—", i), Tags: []string{"a"}, Attrs: map[string]string{"z": "1", "a": "2"}}
		}
		var got, want bytes.Buffer
		if err := WriteJSON(&got, items); err != nil {
			t.Fatal(err)
		}
		enc := json.NewEncoder(&want)
		enc.SetIndent("", "  ")
		if err := enc.Encode(items); err != nil {
			t.Fatal(err)
		}
		if got.String() != want.String() {
			t.Fatalf("n=%d: parallel output differs from the encoder's", n)
		}
	}
}

func TestDropEmptyColumns(t *testing.T) {
	r := dropEmptyColumns(Rows{Columns: []string{"A", "B", "C"}, Rows: [][]string{{"1", "", "x"}, {"2", "", ""}}})
	if strings.Join(r.Columns, ",") != "A,C" || strings.Join(r.Rows[1], ",") != "2," {
		t.Fatalf("got %+v", r)
	}
}

func TestFormats(t *testing.T) {
	rows := Rows{Columns: []string{"Name", "Spec"}, Rows: [][]string{{"curl", "Upstream: fedora 43"}, {"a|b", "x"}}}
	cases := map[Format]string{
		CSV:      "Name,Spec\ncurl,Upstream: fedora 43\na|b,x\n",
		Markdown: "| Name | Spec |\n| --- | --- |\n| curl | Upstream: fedora 43 |\n| a\\|b | x |\n",
		Table: "╭──────┬─────────────────────╮\n│ NAME │ SPEC                │\n├──────┼─────────────────────┤\n" +
			"│ curl │ Upstream: fedora 43 │\n│ a|b  │ x                   │\n╰──────┴─────────────────────╯\n",
	}
	for f, want := range cases {
		var b bytes.Buffer
		if err := (&Writer{Out: &b, Format: f}).Write(nil, rows); err != nil {
			t.Fatal(err)
		}
		if b.String() != want {
			t.Errorf("%s:\n%s\nwant:\n%s", f, b.String(), want)
		}
	}
	if _, err := ParseFormat("yaml"); err == nil {
		t.Error("yaml accepted")
	}
}

// TestTableFitsWidth checks that tables are truncated to the terminal width.
func TestTableFitsWidth(t *testing.T) {
	rows := Rows{Columns: []string{"Name", "Spec"}, Rows: [][]string{{"component", strings.Repeat("x", 200)}}}
	var b bytes.Buffer
	if err := (&Writer{Out: &b, Format: Table, Width: 60}).Write(nil, rows); err != nil {
		t.Fatal(err)
	}
	for _, line := range strings.Split(strings.TrimSpace(b.String()), "\n") {
		if w := len([]rune(line)); w > 60 {
			t.Fatalf("line of width %d exceeds 60: %q", w, line)
		}
	}
	if !strings.Contains(b.String(), "…") {
		t.Error("truncated cell lacks an ellipsis")
	}
}
