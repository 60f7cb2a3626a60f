package app

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"strings"
	"sync"

	"github.com/azlforge/azldev/internal/foundation/command"
)

// consoleHandler writes log records as "HH:MM:SS LVL message key=value".
type consoleHandler struct {
	mu    *sync.Mutex
	out   io.Writer
	level slog.Leveler
	color bool
	attrs []slog.Attr
}

func newConsoleHandler(out io.Writer, level slog.Leveler, color bool) *consoleHandler {
	return &consoleHandler{mu: &sync.Mutex{}, out: out, level: level, color: color}
}

func (h *consoleHandler) Enabled(_ context.Context, l slog.Level) bool { return l >= h.level.Level() }

func (h *consoleHandler) Handle(_ context.Context, r slog.Record) error {
	var b strings.Builder
	b.WriteString(r.Time.Format("15:04:05 "))
	b.WriteString(h.levelTag(r.Level))
	b.WriteString(" " + r.Message)
	write := func(a slog.Attr) bool {
		v := a.Value.String()
		if strings.ContainsAny(v, " \t\n\"=") || v == "" {
			v = fmt.Sprintf("%q", v)
		}
		b.WriteString(" " + a.Key + "=" + v)
		return true
	}
	for _, a := range h.attrs {
		write(a)
	}
	r.Attrs(write)
	b.WriteString("\n")
	h.mu.Lock()
	defer h.mu.Unlock()
	_, err := io.WriteString(h.out, b.String())
	return err
}

func (h *consoleHandler) levelTag(l slog.Level) string {
	tag, code := "DBG", "90"
	switch {
	case l >= slog.LevelError:
		tag, code = "ERR", "31"
	case l >= slog.LevelWarn:
		tag, code = "WRN", "33"
	case l >= slog.LevelInfo:
		tag, code = "INF", "32"
	}
	if !h.color {
		return tag
	}
	return "\x1b[" + code + "m" + tag + "\x1b[0m"
}

func (h *consoleHandler) WithAttrs(attrs []slog.Attr) slog.Handler {
	c := *h
	c.attrs = append(append([]slog.Attr(nil), h.attrs...), attrs...)
	return &c
}

func (h *consoleHandler) WithGroup(string) slog.Handler { return h }

// fanout sends each record to every handler that accepts its level.
type fanout []slog.Handler

func (f fanout) Enabled(ctx context.Context, l slog.Level) bool {
	for _, h := range f {
		if h.Enabled(ctx, l) {
			return true
		}
	}
	return false
}

func (f fanout) Handle(ctx context.Context, r slog.Record) error {
	for _, h := range f {
		if h.Enabled(ctx, r.Level) {
			if err := h.Handle(ctx, r.Clone()); err != nil {
				return err
			}
		}
	}
	return nil
}

func (f fanout) WithAttrs(attrs []slog.Attr) slog.Handler {
	out := make(fanout, len(f))
	for i, h := range f {
		out[i] = h.WithAttrs(attrs)
	}
	return out
}

func (f fanout) WithGroup(name string) slog.Handler {
	out := make(fanout, len(f))
	for i, h := range f {
		out[i] = h.WithGroup(name)
	}
	return out
}

// LogCommand logs a program about to run, at debug level (see command.Runner.Observer).
func (a *App) LogCommand(inv command.Invocation) {
	if a.Log != nil {
		a.Log.Debug("Running", "command", strings.Join(append([]string{inv.Program}, inv.Args...), " "), "dir", inv.Dir)
	}
}
