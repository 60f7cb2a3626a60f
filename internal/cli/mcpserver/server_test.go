package mcpserver

import (
	"context"
	"fmt"
	"strings"
	"testing"

	"github.com/modelcontextprotocol/go-sdk/mcp"
	"github.com/spf13/cobra"

	"github.com/azlforge/azldev/internal/cli/app"
)

// fakeRoot has an `image list` that prints its arguments and global flags
// as JSON, or plain text for the pattern "text", and fails for "fail".
func fakeRoot(a *app.App) *cobra.Command {
	root := &cobra.Command{Use: "azldev", SilenceErrors: true, SilenceUsage: true}
	var format, project string
	root.PersistentFlags().StringVar(&format, "output-format", "", "")
	root.PersistentFlags().StringVar(&project, "project", "", "")
	root.PersistentFlags().String("color", "", "")
	image := &cobra.Command{Use: "image"}
	image.AddCommand(&cobra.Command{Use: "list", RunE: func(_ *cobra.Command, args []string) error {
		switch {
		case len(args) > 0 && args[0] == "text":
			fmt.Fprintln(a.Stdout, "╭ a table")
		case len(args) > 0 && args[0] == "fail":
			fmt.Fprintln(a.Stdout, `["partial"]`)
			return fmt.Errorf("it failed")
		default:
			fmt.Fprintf(a.Stdout, `{"format": %q, "project": %q, "args": %q}`, format, project, strings.Join(args, ","))
		}
		return nil
	}})
	root.AddCommand(image)
	return root
}

func connect(t *testing.T) *mcp.ClientSession {
	t.Helper()
	ctx := context.Background()
	st, ct := mcp.NewInMemoryTransports()
	server := New(Options{NewRoot: fakeRoot, Global: []string{"--project=/p"}, Version: "test"})
	if _, err := server.Connect(ctx, st, nil); err != nil {
		t.Fatal(err)
	}
	cs, err := mcp.NewClient(&mcp.Implementation{Name: "t"}, nil).Connect(ctx, ct, nil)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { cs.Close() })
	return cs
}

func call(t *testing.T, cs *mcp.ClientSession, patterns ...string) *mcp.CallToolResult {
	t.Helper()
	res, err := cs.CallTool(context.Background(), &mcp.CallToolParams{Name: "image_list", Arguments: map[string]any{"patterns": patterns}})
	if err != nil {
		t.Fatal(err)
	}
	return res
}

func TestRunPassesGlobalsAndJSON(t *testing.T) {
	cs := connect(t)
	res := call(t, cs, "a*", "-b")
	got := fmt.Sprint(res.StructuredContent)
	if res.IsError || got != "map[images:map[args:a*,-b format:json project:/p]]" {
		t.Errorf("got %v %s", res.IsError, got)
	}
}

func TestRunErrors(t *testing.T) {
	cs := connect(t)
	for pattern, want := range map[string]string{
		"text": "image list -- text printed no JSON",
		"fail": "it failed\n[\"partial\"]",
	} {
		res := call(t, cs, pattern)
		var texts []string
		for _, c := range res.Content {
			texts = append(texts, strings.TrimSpace(c.(*mcp.TextContent).Text))
		}
		if !res.IsError || !strings.HasPrefix(strings.Join(texts, "\n"), want) {
			t.Errorf("%s: %v %q", pattern, res.IsError, texts)
		}
	}
}
