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

// JSONSchemaExtend lists the overlay types the loader accepts.
func (ComponentOverlay) JSONSchemaExtend(s *jsonschema.Schema) {
	setEnum(s, "type", OverlayTypes)
}

// JSONSchemaExtend lists the accepted metadata values.
func (OverlayMetadata) JSONSchemaExtend(s *jsonschema.Schema) {
	setEnum(s, "category", metadataCategories)
	setEnum(s, "upstream-status", upstreamStatuses)
}

// setEnum restricts a string property to values.
func setEnum(s *jsonschema.Schema, prop string, values []string) {
	p, ok := s.Properties.Get(prop)
	if !ok {
		return
	}
	p.Enum = make([]any, len(values))
	for i, v := range values {
		p.Enum[i] = v
	}
}
