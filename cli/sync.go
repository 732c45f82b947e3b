package cli

import (
	"encoding/json"
	"fmt"

	"opsdeck/syncer"
)

// syncCmd is `opsdeck sync` (one round), `sync init` and `sync status`.
type syncCmd struct {
	Round  syncRoundCmd  `cmd:"" default:"1" hidden:"" help:"One round: import the other devices' changes, share this one's."`
	Init   syncInitCmd   `cmd:"" help:"Set sync up: REMOTE is any git remote (a bare repository over SSH, a private GitHub repository, a local path), or --folder DIR a folder that Syncthing, Dropbox or rclone keep in step. Uses the system git."`
	Status syncStatusCmd `cmd:"" help:"This device, the remote, the last sync and the changes not yet shared."`
	Auto   syncAutoCmd   `cmd:"" help:"Sync when the TUI opens and when it quits: sync auto on|off."`
}

type syncAutoCmd struct {
	Mode string `arg:"" enum:"on,off" help:"on or off"`
}

func (s syncAutoCmd) Run(c *ctx) error {
	st, done, err := c.open(dbExisting)
	if err != nil {
		return err
	}
	defer done()
	if err := syncer.New(st, c.now).SetAuto(s.Mode == "on"); err != nil {
		return err
	}
	fmt.Fprintf(c.Stdout, "sync on open and quit: %s\n", s.Mode)
	return nil
}

type syncRoundCmd struct{}

func (syncRoundCmd) Run(c *ctx) error {
	st, done, err := c.open(dbExisting)
	if err != nil {
		return err
	}
	defer done()
	rep, err := syncer.New(st, c.now).Sync()
	c.sayRound(rep)
	return err
}

// sayRound prints what a round did and its warnings.
func (c *ctx) sayRound(rep syncer.Report) {
	for _, w := range rep.Warnings {
		fmt.Fprintf(c.Stderr, "opsdeck: warning: %s\n", clean(w))
	}
	fmt.Fprintln(c.Stdout, rep.String())
}

type syncInitCmd struct {
	Remote string `arg:"" optional:"" help:"a git remote: ssh://host/path.git, host:path.git, https://..., or a local path"`
	Folder string `placeholder:"DIR" help:"sync through this folder instead of git"`
	Auto   bool   `help:"also sync when the TUI opens and when it quits"`
}

func (s syncInitCmd) Run(c *ctx) error {
	if (s.Remote == "") == (s.Folder == "") {
		return usagef("give a git remote or --folder DIR")
	}
	st, done, err := c.open(dbWrite)
	if err != nil {
		return err
	}
	defer done()
	e := syncer.New(st, c.now)
	rep, err := e.Init(s.Remote, s.Folder, s.Auto)
	if err != nil {
		return err
	}
	dev, _ := st.SyncDevice()
	fmt.Fprintf(c.Stdout, "sync set up: this device is %s\n", dev)
	c.sayRound(rep)
	return nil
}

type syncStatusCmd struct {
	JSON bool `name:"json" help:"print JSON (docs/cli.md)"`
}

func (s syncStatusCmd) Run(c *ctx) error {
	st, done, err := c.open(dbExisting)
	if err != nil {
		return err
	}
	defer done()
	stt, err := syncer.New(st, c.now).Status()
	if err != nil {
		return err
	}
	if s.JSON {
		b, err := json.Marshal(stt)
		if err != nil {
			return err
		}
		fmt.Fprintln(c.Stdout, string(b))
		return nil
	}
	last := "never"
	if stt.LastSync != nil {
		last = *stt.LastSync
	}
	fmt.Fprintf(c.Stdout, "device   %s\nremote   %s\nlast     %s\npending  %d changes not yet shared\ndevices  %d seen\n",
		clean(stt.Device), clean(stt.Remote), last, stt.PendingEvents, stt.DevicesSeen)
	return nil
}
