package app

import (
	"strings"

	"github.com/spf13/cobra"

	"github.com/azlforge/azldev/internal/cli/output"
)

// ExtraFormats is the annotation of a command that accepts -O values of
// its own besides output.Formats (comma-separated, e.g. "dot").
const ExtraFormats = "azldev/extra-output-formats"

// CheckFormat validates an -O value for cmd.
func CheckFormat(cmd *cobra.Command, format string) error {
	for _, f := range strings.Split(cmd.Annotations[ExtraFormats], ",") {
		if f != "" && f == format {
			return nil
		}
	}
	_, err := output.ParseFormat(format)
	return err
}
