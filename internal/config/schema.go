package config

import "github.com/invopop/jsonschema"

// SchemaID identifies the configuration file schema.
const SchemaID = "https://github.com/azlforge/azldev/config-file"

// Schema returns a JSON Schema (draft 2020-12) of one configuration file,
// keyed by the TOML names, rejecting unknown keys as the loader does.
func Schema() *jsonschema.Schema {
	r := &jsonschema.Reflector{
		FieldNameTag:               "toml",
		RequiredFromJSONSchemaTags: true,
		DoNotReference:             false,
	}
	s := r.Reflect(&File{})
	s.ID = SchemaID
	return s
}
