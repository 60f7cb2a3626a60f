package git

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"strconv"
	"strings"
)

// ReadObjects reads many objects with a single `git cat-file --batch`
// process. Each name is anything cat-file accepts on one line, such as an
// object id or `<rev>:<path>`. The result has one entry per name, nil where
// the object does not exist.
func (r Repo) ReadObjects(ctx context.Context, names []string) ([][]byte, error) {
	if len(names) == 0 {
		return nil, nil
	}
	var in bytes.Buffer
	for _, n := range names {
		if strings.ContainsAny(n, "\n") {
			return nil, fmt.Errorf("git cat-file: object name %q contains a newline", n)
		}
		in.WriteString(n)
		in.WriteByte('\n')
	}
	out, err := r.RunInput(ctx, in.Bytes(), "cat-file", "--batch")
	if err != nil {
		return nil, err
	}
	return splitBatch(out, len(names))
}

// splitBatch cuts cat-file --batch output into n object contents.
func splitBatch(out []byte, n int) ([][]byte, error) {
	objects := make([][]byte, n)
	for i := range objects {
		header, rest, ok := bytes.Cut(out, []byte{'\n'})
		if !ok {
			return nil, errors.New("git cat-file: truncated output")
		}
		fields := strings.Fields(string(header))
		if len(fields) == 2 && fields[1] == "missing" {
			out = rest
			continue
		}
		if len(fields) != 3 {
			return nil, fmt.Errorf("git cat-file: unexpected header %q", header)
		}
		size, err := strconv.Atoi(fields[2])
		if err != nil || size < 0 || size > len(rest) {
			return nil, fmt.Errorf("git cat-file: bad size in %q", header)
		}
		objects[i] = rest[:size:size]
		out = rest[min(size+1, len(rest)):]
	}
	return objects, nil
}
