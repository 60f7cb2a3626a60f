package config

import (
	"bytes"
	"encoding/json"
	"fmt"

	"github.com/pelletier/go-toml/v2"
)

// DumpText encodes the configuration as `config dump` prints it: format is
// "toml" or "json"; compact selects this tool's shorter form (the model as
// it is: no name fields, empty values left out, TOML tables indented)
// instead of the reference's field-for-field output.
func (c *Config) DumpText(format string, compact bool) ([]byte, error) {
	var v any = &c.File
	if !compact {
		d, err := c.Dump()
		if err != nil {
			return nil, err
		}
		v = d
	}
	switch format {
	case "json":
		var buf bytes.Buffer
		enc := json.NewEncoder(&buf)
		enc.SetIndent("", "  ")
		err := enc.Encode(v)
		return buf.Bytes(), err
	case "toml":
		var buf bytes.Buffer
		if err := toml.NewEncoder(&buf).SetIndentTables(compact).Encode(v); err != nil {
			return nil, err
		}
		if !compact {
			// The reference prints the document with a line break of its
			// own after the encoder's: the TOML ends in a blank line.
			buf.WriteByte('\n')
		}
		return buf.Bytes(), nil
	}
	return nil, fmt.Errorf("invalid dump format %q (want toml or json)", format)
}
