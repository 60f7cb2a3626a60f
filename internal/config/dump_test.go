package config

import (
	"bytes"
	"encoding/json"
	"fmt"
	"reflect"
	"strings"
	"testing"

	"github.com/pelletier/go-toml/v2"
)

// encodeDump returns the JSON and TOML of c's dump as `config dump` writes them.
func encodeDump(t *testing.T, c *Config) (js, tm string) {
	t.Helper()
	d, err := c.Dump()
	if err != nil {
		t.Fatal(err)
	}
	j, err := json.MarshalIndent(d, "", "  ")
	if err != nil {
		t.Fatal(err)
	}
	b, err := toml.Marshal(d)
	if err != nil {
		t.Fatal(err)
	}
	return string(j), string(b)
}

// fill sets every field reachable from v to a distinct non-zero value
// (strings "vNNNN"), with one element in each slice and map.
func fill(v reflect.Value, n *int) {
	next := func() int { *n++; return *n }
	switch v.Kind() {
	case reflect.String:
		v.SetString(fmt.Sprintf("v%04d", next()))
	case reflect.Bool:
		v.SetBool(true)
	case reflect.Int, reflect.Int64:
		v.SetInt(int64(next()))
	case reflect.Pointer:
		v.Set(reflect.New(v.Type().Elem()))
		fill(v.Elem(), n)
	case reflect.Struct:
		for i := range v.NumField() {
			if v.Type().Field(i).IsExported() {
				fill(v.Field(i), n)
			}
		}
	case reflect.Slice:
		v.Set(reflect.MakeSlice(v.Type(), 1, 1))
		fill(v.Index(0), n)
	case reflect.Map:
		v.Set(reflect.MakeMap(v.Type()))
		k := reflect.New(v.Type().Key()).Elem()
		fill(k, n)
		e := reflect.New(v.Type().Elem()).Elem()
		fill(e, n)
		v.SetMapIndex(k, e)
	default:
		panic("fill: unsupported kind " + v.Kind().String())
	}
}

// TestDumpCoversModel fills every field of the model and checks that each
// value reaches the dump, in JSON or in TOML: a field added to the model
// without a counterpart in the dump types fails here (and in Dump).
func TestDumpCoversModel(t *testing.T) {
	var c Config
	n := 0
	fill(reflect.ValueOf(&c.File).Elem(), &n)
	notDumped := map[string]bool{c.Schema: true, c.Includes[0]: true}
	js, tm := encodeDump(t, &c)
	for i := 1; i <= n; i++ {
		v := fmt.Sprintf("v%04d", i)
		if !notDumped[v] && !strings.Contains(js, v) && !strings.Contains(tm, v) {
			t.Errorf("value %s of the model is not in the dump", v)
		}
	}
	var back map[string]any
	if err := json.Unmarshal([]byte(js), &back); err != nil {
		t.Fatal(err)
	}
	if _, err := toml.Marshal(back); err != nil {
		t.Fatal(err)
	}
}

// TestDumpQuirks checks the reference's serialization rules that the Azure
// Linux 4 golden dump does not exercise.
func TestDumpQuirks(t *testing.T) {
	c := &Config{File: File{
		Schema:   "https://example.com/schema.json",
		Includes: []string{"a/*.toml"},
		Project:  ProjectInfo{Description: "p"},
		Components: map[string]*ComponentConfig{
			"upstream-only": {Spec: SpecSource{UpstreamDistro: DistroReference{Version: "43"}}},
			"empty":         {},
			"with-source":   {SourceFiles: []SourceFileReference{{Origin: Origin{URI: "https://x/y"}}}},
		},
		ComponentGroups: map[string]*ComponentGroup{"g": {Components: []string{"empty"}}},
		Distros: map[string]*DistroDefinition{"d": {Versions: map[string]*DistroVersionDefinition{
			"1": {MockConfigX8664: "m.cfg"},
		}}},
		Images: map[string]*ImageConfig{"i": {Definition: ImageDefinition{Type: "kiwi"},
			Tests: ImageTestsConfig{TestSuites: []TestSuiteRef{{}}}}},
		TestSuites: map[string]*TestSuiteConfig{"t": {Lisa: &LisaConfig{}}},
		Resources: ResourcesConfig{
			RPMRepoSetTemplates: map[string]*RPMRepoSetTemplate{"tpl": {Description: "no subrepos"}},
			RPMRepoSets:         map[string]*RPMRepoSet{"set": {Description: "s", Subrepos: []string{"a"}}},
		},
	}}
	js, tm := encodeDump(t, c)

	var top []string
	dec := json.NewDecoder(strings.NewReader(js))
	_, _ = dec.Token()
	for dec.More() {
		k, _ := dec.Token()
		top = append(top, k.(string))
		var skip json.RawMessage
		_ = dec.Decode(&skip)
	}
	if got := strings.Join(top, " "); got != "project componentGroups components images distros resources tools defaultComponentConfig defaultPackageConfig testSuites" {
		t.Errorf("top-level JSON keys: %s", got)
	}
	for _, want := range []string{
		`"empty": {
      "name": "empty",`,
		`"defaultComponentConfig": {
        "name": "",`, // of a group
		`"defaultComponentConfig": {
    "name": "",`, // of the project
		`"i": {
      "name": "i",`,
		`"definition": {
        "type": "kiwi"
      },`, // no "path"
		`"testSuites": [
          {
            "name": ""
          }
        ]`,
		`"mockConfigX8664": "m.cfg"`,
		`"t": {
      "name": "t",
      "type": "",
      "lisa": {
        "framework": {
          "gitUrl": "",
          "ref": ""
        },
        "testCases": null
      }`,
		`"tpl": {
        "description": "no subrepos",
        "subrepos": null
      }`,
	} {
		if !strings.Contains(js, want) {
			t.Errorf("JSON lacks\n%s\nin\n%s", want, js)
		}
	}
	for _, bad := range []string{`"$schema"`, `"includes"`, `"releaseVer"`, `mockConfigX86_64`} {
		if strings.Contains(js, bad) {
			t.Errorf("JSON has %s", bad)
		}
	}

	for _, want := range []string{
		"[components.empty]\n[components.upstream-only]\n[components.upstream-only.spec]\ntype = ''\n\n[components.upstream-only.spec.upstream-distro]\nname = ''\nversion = '43'\n",
		"[[components.with-source.source-files]]\nfilename = ''\n\n[components.with-source.source-files.origin]\ntype = ''\nuri = 'https://x/y'\n",
		"[distros.d.versions.1]\nrelease-ver = ''\nmock-config-x86_64 = 'm.cfg'\n",
		"[[images.i.tests.test-suites]]\nname = ''\n",
		"[resources.rpm-repo-set-templates.tpl]\ndescription = 'no subrepos'\nsubrepos = []\n",
		"[resources.rpm-repo-sets.set]\ndescription = 's'\ntemplate = ''\nbase-uri = ''\nsubrepos = ['a']\n",
		"[test-suites.t]\ntype = ''\n\n[test-suites.t.lisa]\ntest-cases = []\n\n[test-suites.t.lisa.framework]\ngit-url = ''\nref = ''\n",
	} {
		if !strings.Contains(tm, want) {
			t.Errorf("TOML lacks\n%s\nin\n%s", want, tm)
		}
	}
	if strings.Contains(tm, "name = 'empty'") || strings.Contains(tm, "$schema") || strings.Contains(tm, "includes") {
		t.Errorf("TOML has a name, $schema or includes:\n%s", tm)
	}
	if !bytes.HasPrefix([]byte(tm), []byte("[project]\ndescription = 'p'\n\n[component-groups]\n")) {
		t.Errorf("TOML starts with\n%s", tm[:min(len(tm), 200)])
	}
}
