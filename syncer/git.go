package syncer

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
)

// gitCheck finds the system git.
func (e *Engine) gitCheck() error {
	if e.Git != "" {
		return nil
	}
	p, err := exec.LookPath("git")
	if err != nil {
		return errors.New("sync over a git remote runs the system git, and there is no git on the PATH: install git (apt install git, brew install git, ...) or sync through a folder with opsdeck sync init --folder DIR")
	}
	e.Git = p
	return nil
}

// gitError is a failed git command with what it said.
type gitError struct {
	args   []string
	stderr string
	err    error
}

func (g *gitError) Error() string {
	msg := strings.TrimSpace(g.stderr)
	if i := strings.LastIndex(msg, "\n"); i >= 0 && len(msg) > 300 {
		msg = msg[i+1:]
	}
	msg = strings.ReplaceAll(msg, "\n", "; ")
	return fmt.Sprintf("git %s: %v: %s", g.args[0], g.err, msg)
}

// git runs git in dir with opsdeck's identity for its own commits.
func (e *Engine) git(dir string, args ...string) (string, error) {
	cmd := exec.Command(e.Git, args...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(),
		"GIT_TERMINAL_PROMPT=0", "GIT_AUTHOR_NAME=opsdeck", "GIT_AUTHOR_EMAIL=opsdeck@localhost",
		"GIT_COMMITTER_NAME=opsdeck", "GIT_COMMITTER_EMAIL=opsdeck@localhost")
	var out, errb bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errb
	if err := cmd.Run(); err != nil {
		return out.String(), &gitError{args: args, stderr: errb.String(), err: err}
	}
	return out.String(), nil
}

// gitRecover clears what a killed round may have left: an index lock and
// a rebase in progress.
func (e *Engine) gitRecover(dir string) {
	_ = os.Remove(filepath.Join(dir, ".git", "index.lock"))
	for _, d := range []string{"rebase-merge", "rebase-apply"} {
		if _, err := os.Stat(filepath.Join(dir, ".git", d)); err == nil {
			_, _ = e.git(dir, "rebase", "--abort")
			_ = os.RemoveAll(filepath.Join(dir, ".git", d))
		}
	}
}

// unreachable wraps a failed fetch or push.
func unreachable(remote string, err error) error {
	return fmt.Errorf("sync: the remote %s cannot be reached (%v); nothing was lost: your changes are kept here and go out with the next opsdeck sync", remote, err)
}

// pull brings the working copy up to date with origin's main.
func (e *Engine) pull(dir, remote string) error {
	if _, err := e.git(dir, "fetch", "-q", "origin"); err != nil {
		return unreachable(remote, err)
	}
	if _, err := e.git(dir, "rev-parse", "-q", "--verify", "refs/remotes/origin/main"); err != nil {
		return nil // an empty remote
	}
	if _, err := e.git(dir, "rev-parse", "-q", "--verify", "HEAD"); err != nil {
		// No commit here yet: take origin's (untracked own files stay).
		_, err := e.git(dir, "checkout", "-q", "-B", "main", "origin/main")
		return err
	}
	// Each device adds only its own files: a rebase never conflicts.
	if _, err := e.git(dir, "rebase", "-q", "origin/main"); err != nil {
		e.gitRecover(dir)
		return err
	}
	return nil
}

// commitAndPush commits new files and pushes, pulling and retrying when
// the push is rejected (another device pushed first).
func (e *Engine) commitAndPush(dir, dev, remote string, rep *Report) error {
	if _, err := e.git(dir, "add", "-A", "devices"); err != nil {
		if _, serr := os.Stat(filepath.Join(dir, "devices")); serr != nil {
			return nil // nothing was ever written
		}
		return err
	}
	st, err := e.git(dir, "status", "--porcelain")
	if err != nil {
		return err
	}
	if strings.TrimSpace(st) != "" {
		if _, err := e.git(dir, "commit", "-q", "-m", "opsdeck: events of "+dev); err != nil {
			return err
		}
		step("committed")
	}
	ahead := func() bool {
		out, err := e.git(dir, "rev-list", "--count", "origin/main..HEAD")
		if err != nil {
			return true // no origin/main yet
		}
		return strings.TrimSpace(out) != "0"
	}
	if _, err := e.git(dir, "rev-parse", "-q", "--verify", "HEAD"); err != nil {
		return nil // nothing committed, nothing to push
	}
	var last error
	for try := 0; try < 5; try++ {
		if !ahead() {
			return nil
		}
		_, err := e.git(dir, "push", "-q", "origin", "HEAD:main")
		if err == nil {
			return nil
		}
		last = err
		var ge *gitError
		if errors.As(err, &ge) && !strings.Contains(ge.stderr, "rejected") && !strings.Contains(ge.stderr, "fetch first") && !strings.Contains(ge.stderr, "non-fast-forward") {
			return unreachable(remote, err)
		}
		// Rejected: another device pushed first. Pull (and import its
		// events on the next round) and push again.
		if err := e.pull(dir, remote); err != nil {
			return err
		}
	}
	return fmt.Errorf("sync: the push to %s was rejected 5 times (%v); nothing was lost: run opsdeck sync again", remote, last)
}
