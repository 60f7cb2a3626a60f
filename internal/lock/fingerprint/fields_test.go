package fingerprint

import (
	"reflect"
	"testing"

	"github.com/azlforge/azldev/internal/config"
)

// leaf is a mutable field reached from the root configuration.
type leaf struct {
	key      string   // Type.Field
	included bool     // the table includes it and every field above it
	path     []string // keys of the enclosing fields, outermost first
	get      func(*config.ComponentConfig) reflect.Value
}

// baseConfig returns a configuration with one element in every list or map
// of structs and every struct pointer allocated, so nested fields can be set.
func baseConfig() *config.ComponentConfig {
	c := &config.ComponentConfig{}
	fill(reflect.ValueOf(c).Elem())
	return c
}

func fill(v reflect.Value) {
	for i := range v.NumField() {
		f := v.Field(i)
		switch t := f.Type(); {
		case t.Kind() == reflect.Struct:
			fill(f)
		case t.Kind() == reflect.Pointer && t.Elem().Kind() == reflect.Struct:
			f.Set(reflect.New(t.Elem()))
			fill(f.Elem())
		case t.Kind() == reflect.Slice && t.Elem().Kind() == reflect.Struct:
			f.Set(reflect.MakeSlice(t, 1, 1))
			fill(f.Index(0))
		case t.Kind() == reflect.Map && t.Elem().Kind() == reflect.Pointer:
			f.Set(reflect.MakeMap(t))
			e := reflect.New(t.Elem().Elem())
			fill(e.Elem())
			f.SetMapIndex(reflect.ValueOf("k"), e)
		}
	}
}

// collect lists the leaves below the struct type t reached by get.
func collect(t *testing.T, typ reflect.Type, get func(*config.ComponentConfig) reflect.Value, included bool, path []string, seen map[string]bool) []leaf {
	var leaves []leaf
	for i := range typ.NumField() {
		sf := typ.Field(i)
		key := typ.Name() + "." + sf.Name
		seen[key] = true
		reason, ok := ConfigFields[key]
		if !ok {
			t.Errorf("%s is not in fingerprint.ConfigFields: say whether the config hash includes it", key)
			continue
		}
		inc := included && reason == ""
		sub := append(append([]string(nil), path...), key)
		field := func(c *config.ComponentConfig) reflect.Value { return get(c).Field(i) }
		switch ft := sf.Type; {
		case ft.Kind() == reflect.Struct:
			leaves = append(leaves, collect(t, ft, field, inc, sub, seen)...)
		case ft.Kind() == reflect.Pointer && ft.Elem().Kind() == reflect.Struct:
			leaves = append(leaves, collect(t, ft.Elem(), func(c *config.ComponentConfig) reflect.Value { return field(c).Elem() }, inc, sub, seen)...)
		case ft.Kind() == reflect.Slice && ft.Elem().Kind() == reflect.Struct:
			leaves = append(leaves, collect(t, ft.Elem(), func(c *config.ComponentConfig) reflect.Value { return field(c).Index(0) }, inc, sub, seen)...)
		case ft.Kind() == reflect.Map && ft.Elem().Kind() == reflect.Pointer:
			leaves = append(leaves, collect(t, ft.Elem().Elem(), func(c *config.ComponentConfig) reflect.Value {
				return field(c).MapIndex(reflect.ValueOf("k")).Elem()
			}, inc, sub, seen)...)
		default:
			leaves = append(leaves, leaf{key: key, included: inc, path: sub, get: field})
		}
	}
	return leaves
}

// mutate changes a leaf value.
func mutate(v reflect.Value) {
	switch v.Kind() {
	case reflect.String:
		v.SetString(v.String() + "mutated")
	case reflect.Bool:
		v.SetBool(!v.Bool())
	case reflect.Slice:
		v.Set(reflect.Append(v, reflect.ValueOf("mutated").Convert(v.Type().Elem())))
	case reflect.Map:
		if v.IsNil() {
			v.Set(reflect.MakeMap(v.Type()))
		}
		v.SetMapIndex(reflect.ValueOf("mutated"), reflect.ValueOf("x").Convert(v.Type().Elem()))
	}
}

// TestConfigFieldsCoverEveryField checks that ConfigFields names every field
// of the component configuration (and nothing else), and that changing a
// field changes the config hash exactly when the table includes it.
func TestConfigFieldsCoverEveryField(t *testing.T) {
	seen := map[string]bool{}
	root := func(c *config.ComponentConfig) reflect.Value { return reflect.ValueOf(c).Elem() }
	leaves := collect(t, reflect.TypeFor[config.ComponentConfig](), root, true, nil, seen)
	for key := range ConfigFields {
		if !seen[key] {
			t.Errorf("ConfigFields names %s, which is not a configuration field", key)
		}
	}
	for _, l := range leaves {
		c := baseConfig()
		before := ConfigHash(c)
		mutate(l.get(c))
		changed := ConfigHash(c) != before
		if changed != l.included {
			t.Errorf("%v: changing it changes the hash = %v, but the table says included = %v", l.path, changed, l.included)
		}
	}
	if len(leaves) < 40 {
		t.Errorf("only %d leaf fields walked", len(leaves))
	}
}
