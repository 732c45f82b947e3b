// Command opsdeck is a terminal flashcard trainer for DevOps & Azure Cloud
// Architect interviews. This file only wires: the embedded decks, the
// command line (cli), and the TUI over the application layer (study).
package main

import (
	"embed"
	"io/fs"
	"os"
	"time"

	tea "github.com/charmbracelet/bubbletea"
	"github.com/charmbracelet/x/ansi"
	"github.com/charmbracelet/x/term"

	"opsdeck/cli"
	"opsdeck/deck"
	"opsdeck/deck/stats"
	"opsdeck/study"
	"opsdeck/tui"
)

//go:embed decks/*.md
var embedded embed.FS

// builtinDecks parses the embedded decks.
func builtinDecks() ([]deck.Deck, error) {
	sub, err := fs.Sub(embedded, "decks")
	if err != nil {
		return nil, err
	}
	return deck.ParseFS(sub)
}

// runTUI runs the app on the dashboard until the user quits.
func runTUI(svc *study.Service, now func() time.Time, sync func() (string, error), syncOnOpen bool) error {
	opts := tui.Options{Now: now, Sync: sync, SyncOnOpen: syncOnOpen}
	_, err := tea.NewProgram(tui.New(svc, opts), tea.WithAltScreen()).Run()
	return err
}

// Text is measured in terminal cells (a CJK character is two) wherever
// opsdeck lays it out.
func init() { stats.SetTextWidth(ansi.StringWidth) }

func main() {
	os.Exit(cli.Run(os.Args[1:], &cli.Env{
		Stdin: os.Stdin, Stdout: os.Stdout, Stderr: os.Stderr,
		Builtin: builtinDecks, RunTUI: runTUI, Width: stdoutWidth,
	}))
}

// stdoutWidth is the width of the terminal on stdout, 0 when it is not one.
func stdoutWidth() int {
	if w, _, err := term.GetSize(os.Stdout.Fd()); err == nil && term.IsTerminal(os.Stdout.Fd()) {
		return w
	}
	return 0
}
