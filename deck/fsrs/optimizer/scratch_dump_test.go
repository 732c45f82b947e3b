package optimizer

import (
	"bufio"
	"fmt"
	"os"
	"testing"
	"time"
	"unsafe"
)

func TestScratchDump1M(t *testing.T) {
	items := Items(synthLog(1_000_000, 42), time.UTC, 4)
	f, _ := os.Create("/tmp/opt/synth1m.txt")
	w := bufio.NewWriter(f)
	// each line: ratings,deltas for the item (full), written compactly: r:d r:d ...
	total := 0
	for _, it := range items {
		for i, r := range it.Reviews {
			if i > 0 {
				w.WriteByte(' ')
			}
			fmt.Fprintf(w, "%d:%d", r.Rating, r.DeltaT)
		}
		w.WriteByte('\n')
		total += len(it.Reviews)
	}
	w.Flush()
	f.Close()
	_ = unsafe.Sizeof(0)
	t.Logf("%d items, %d item reviews", len(items), total)
}
