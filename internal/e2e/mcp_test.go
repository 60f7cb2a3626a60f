package e2e

import (
	"context"
	"encoding/json"
	"os/exec"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/modelcontextprotocol/go-sdk/mcp"
)

// mcpSession starts `azldev -C dir advanced mcp` and connects the SDK's
// client to it (initialize included).
func mcpSession(t *testing.T, e *env, dir string) *mcp.ClientSession {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	t.Cleanup(cancel)
	cmd := exec.Command(binary, "-C", dir, "advanced", "mcp")
	cmd.Env = e.vars
	client := mcp.NewClient(&mcp.Implementation{Name: "azldev-e2e", Version: "1"}, nil)
	session, err := client.Connect(ctx, &mcp.CommandTransport{Command: cmd}, nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { session.Close() })
	return session
}

// callTool calls a tool and returns its result; protocol errors fail the test.
func callTool(t *testing.T, s *mcp.ClientSession, name string, args any) *mcp.CallToolResult {
	t.Helper()
	res, err := s.CallTool(context.Background(), &mcp.CallToolParams{Name: name, Arguments: args})
	if err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	return res
}

// text joins a result's text contents.
func text(res *mcp.CallToolResult) string {
	var parts []string
	for _, c := range res.Content {
		if tc, ok := c.(*mcp.TextContent); ok {
			parts = append(parts, tc.Text)
		}
	}
	return strings.Join(parts, "\n")
}

// structured decodes the value under key of a result's structured content.
func structured(t *testing.T, res *mcp.CallToolResult, key string, v any) {
	t.Helper()
	if res.IsError {
		t.Fatalf("tool error: %s", text(res))
	}
	b, _ := json.Marshal(res.StructuredContent)
	var m map[string]json.RawMessage
	if err := json.Unmarshal(b, &m); err != nil {
		t.Fatal(err)
	}
	if err := json.Unmarshal(m[key], v); err != nil {
		t.Fatalf("%s: %v in %s", key, err, b)
	}
}

// TestMCPServer drives the MCP server of the built binary on the example
// distro (in a git repository) with the SDK's client: initialize,
// tools/list, tools/call of every tool, and bad arguments answered with tool
// errors while the server keeps serving.
func TestMCPServer(t *testing.T) {
	e := newEnv(t)
	dir := exampleRepo(t, e)
	s := mcpSession(t, e, dir)
	if info := s.InitializeResult().ServerInfo; info.Name != "azldev" {
		t.Errorf("server info %+v", info)
	}
	tools, err := s.ListTools(context.Background(), nil)
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, tool := range tools.Tools {
		names = append(names, tool.Name)
		schema, _ := json.Marshal(tool.InputSchema)
		if !strings.Contains(string(schema), `"type":"object"`) || tool.Annotations == nil || !tool.Annotations.ReadOnlyHint {
			t.Errorf("%s: schema %s, annotations %+v", tool.Name, schema, tool.Annotations)
		}
	}
	slices.Sort(names)
	if want := "component_changed component_history component_list component_query component_render_check config_dump image_list package_list"; strings.Join(names, " ") != want {
		t.Errorf("tools %v", names)
	}
	schema, _ := json.Marshal(tools.Tools[slices.Index(names, "component_list")].InputSchema)
	if !strings.Contains(string(schema), `"components":{"description":"component names or shell patterns","items":{"type":"string"}`) {
		t.Errorf("component_list schema %s", schema)
	}

	// component_list answers what `component list -O json` prints.
	var comps []map[string]any
	structured(t, callTool(t, s, "component_list", map[string]any{"components": []string{"hello"}}), "components", &comps)
	var cli []map[string]any
	json.Unmarshal([]byte(e.mustAzldev(dir, "component", "list", "-p", "hello", "-O", "json")), &cli)
	if len(comps) != 1 || comps[0]["name"] != "hello" || !jsonEqual(comps, cli) {
		t.Errorf("component_list: %v\nCLI: %v", comps, cli)
	}
	var all []map[string]any
	structured(t, callTool(t, s, "component_list", map[string]any{"all": true}), "components", &all)
	if len(all) != 4 {
		t.Errorf("all components: %d", len(all))
	}
	var hist []struct{ Component string }
	structured(t, callTool(t, s, "component_history", map[string]any{"components": []string{"greet", "hello", "motd"}, "shared": "omit"}), "history", &hist)
	if len(hist) != 2 || hist[0].Component != "greet" {
		t.Errorf("component_history: %+v", hist)
	}
	var changes []struct{ Component, ChangeType string }
	structured(t, callTool(t, s, "component_changed", map[string]any{"all": true, "from": "HEAD~2"}), "changes", &changes)
	if len(changes) != 1 || changes[0].Component != "hello" || changes[0].ChangeType != "changed" {
		t.Errorf("component_changed: %+v", changes)
	}
	var pkgs, images []map[string]any
	structured(t, callTool(t, s, "package_list", map[string]any{"all": true}), "packages", &pkgs)
	structured(t, callTool(t, s, "image_list", map[string]any{"patterns": []string{"min*"}}), "images", &images)
	if len(pkgs) == 0 || len(images) != 1 || images[0]["name"] != "minimal" {
		t.Errorf("package_list %d, image_list %v", len(pkgs), images)
	}
	var dump map[string]any
	structured(t, callTool(t, s, "config_dump", map[string]any{}), "config", &dump)
	if dump["project"] == nil {
		t.Errorf("config_dump: %v", dump)
	}
	var specs []map[string]any
	structured(t, callTool(t, s, "component_query", map[string]any{"components": []string{"hello"}}), "specs", &specs)
	if len(specs) != 1 || specs[0]["name"] != "hello" || specs[0]["version"] != "1.2" {
		t.Errorf("component_query: %v", specs)
	}
	// Never rendered: the check reports the drift as a tool error with the rows.
	res := callTool(t, s, "component_render_check", map[string]any{"components": []string{"greet"}})
	if !res.IsError || !strings.Contains(text(res), `"component": "greet"`) {
		t.Errorf("component_render_check: %v %s", res.IsError, text(res))
	}

	for _, tc := range []struct {
		tool string
		args map[string]any
		want string
	}{
		{"component_list", map[string]any{"components": "hello"}, "validating \"arguments\""},
		{"component_list", map[string]any{"components": []string{"nope"}}, "component not found: `nope`"},
		{"component_list", map[string]any{"colour": true}, "validating \"arguments\""},
		{"component_changed", map[string]any{"all": true}, "validating \"arguments\""},
		{"component_changed", map[string]any{"all": true, "from": "no-such-rev"}, "no-such-rev"},
		{"component_history", map[string]any{"all": true, "shared": "hide"}, `invalid --shared "hide"`},
		{"image_list", map[string]any{"patterns": []string{"["}}, "syntax error in pattern"},
	} {
		res := callTool(t, s, tc.tool, tc.args)
		if !res.IsError || !strings.Contains(text(res), tc.want) {
			t.Errorf("%s %v: error %v, %q (want %q)", tc.tool, tc.args, res.IsError, text(res), tc.want)
		}
	}
	// Still serving.
	structured(t, callTool(t, s, "component_list", map[string]any{"components": []string{"motd"}}), "components", &comps)
	if len(comps) != 1 {
		t.Errorf("after errors: %v", comps)
	}
}

// TestMCPOutsideAProject checks that tool calls outside a project are tool
// errors naming the problem.
func TestMCPOutsideAProject(t *testing.T) {
	e := newEnv(t)
	s := mcpSession(t, e, t.TempDir())
	res := callTool(t, s, "component_list", map[string]any{"all": true})
	if !res.IsError || !strings.Contains(text(res), "no Azure Linux project found") {
		t.Errorf("got %v %q", res.IsError, text(res))
	}
}

// jsonEqual compares two values by their JSON encoding.
func jsonEqual(a, b any) bool {
	ja, _ := json.Marshal(a)
	jb, _ := json.Marshal(b)
	return string(ja) == string(jb)
}
