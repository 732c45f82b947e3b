#!/bin/bash
# Times the app's first frame from the shell: a running tmux server opens
# an 80x24 window on `BINARY --db DB`; the time is from that command to the
# first capture of the pane that shows the dashboard. Prints each run and
# the median, with the process's resident memory at the first frame, 1.5 s
# later (steady) and its peak (VmHWM), in KB. Needs tmux.
#
#   go build -o /tmp/opsdeck . && testdata/firstframe.sh /tmp/opsdeck /tmp/big.db 9
#
# The clock is the fixture's (TZ=UTC, OPSDECK_NOW as in README.md).
set -u
bin=${1:?binary} db=${2:?database} runs=${3:-9}
now=${OPSDECK_NOW:-2026-03-07T23:59:30Z}
times=()
for _ in $(seq 1 "$runs"); do
	tmux kill-server 2>/dev/null
	tmux new -d -s ff-idle -x 80 -y 24 'sleep 60'
	sleep 0.3
	start=$(date +%s%N)
	tmux new -d -s ff -x 80 -y 24 "TZ=UTC OPSDECK_NOW=$now exec $bin --db $db"
	pid=$(tmux display -p -t ff '#{pane_pid}')
	for _ in $(seq 1 2000); do
		tmux capture-pane -pt ff 2>/dev/null | grep -q "Study everything" && break
		sleep 0.002 # the poll leaves the cores to the app between looks
	done
	end=$(date +%s%N)
	first=$(awk '/VmRSS/{print $2}' "/proc/$pid/status")
	sleep 1.5
	steady=$(awk '/VmRSS/{print $2}' "/proc/$pid/status")
	peak=$(awk '/VmHWM/{print $2}' "/proc/$pid/status")
	ms=$(((end - start) / 1000000))
	times+=("$ms")
	echo "$ms ms  rss at first frame $first KB  steady $steady KB  peak $peak KB"
done
tmux kill-server 2>/dev/null
printf '%s\n' "${times[@]}" | sort -n | awk '{a[NR]=$1} END{print "median " a[int((NR+1)/2)] " ms of " NR}'
