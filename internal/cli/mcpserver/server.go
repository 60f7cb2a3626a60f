// Package mcpserver serves azldev's read-only commands as Model Context
// Protocol tools over a stream (stdio for `azldev advanced mcp`). Each tool
// call runs the command it stands for on a fresh command tree, in process,
// with JSON output: the tools share the commands' code and answers, and a
// command's error is the tool's error.
package mcpserver

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"strings"

	"github.com/modelcontextprotocol/go-sdk/mcp"
	"github.com/spf13/cobra"

	"github.com/azlforge/azldev/internal/cli/app"
)

// NewRoot builds a fresh command tree for an App.
type NewRoot func(a *app.App) *cobra.Command

// Options configures a server.
type Options struct {
	NewRoot NewRoot
	// Global are global flags given to every command (the project, config
	// files, ...).
	Global  []string
	Version string
}

// Serve answers MCP requests read from in, writing to out, until in ends or
// ctx is cancelled.
func Serve(ctx context.Context, in io.ReadCloser, out io.WriteCloser, opts Options) error {
	return New(opts).Run(ctx, &mcp.IOTransport{Reader: in, Writer: out})
}

// New returns a server with every tool.
func New(opts Options) *mcp.Server {
	s := mcp.NewServer(&mcp.Implementation{Name: "azldev", Version: opts.Version}, nil)
	addTools(s, runner{opts})
	return s
}

// runner runs commands for the tools.
type runner struct{ opts Options }

// run runs the command args with -O json and returns its result keyed by
// key. A failing command is a tool error carrying its message and, when it
// printed any, its output.
func (r runner) run(ctx context.Context, key string, args ...string) (*mcp.CallToolResult, any, error) {
	var stdout, stderr bytes.Buffer
	a := app.New(&stdout, &stderr)
	defer a.Close()
	root := r.opts.NewRoot(a)
	global := append(append([]string{}, r.opts.Global...), "--output-format=json", "--color=never")
	root.SetArgs(append(global, args...))
	root.SetOut(&stdout)
	root.SetErr(&stderr)
	if err := root.ExecuteContext(ctx); err != nil {
		res := &mcp.CallToolResult{}
		res.SetError(err)
		if stdout.Len() > 0 {
			res.Content = append(res.Content, &mcp.TextContent{Text: stdout.String()})
		}
		return res, nil, nil
	}
	if !json.Valid(stdout.Bytes()) {
		res := &mcp.CallToolResult{}
		res.SetError(fmt.Errorf("%s printed no JSON: %.200q", strings.Join(args, " "), stdout.String()))
		return res, nil, nil
	}
	return nil, map[string]json.RawMessage{key: stdout.Bytes()}, nil
}
