package store

import (
	"bytes"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"hash/fnv"
	"sort"
	"strings"
	"sync"
	"time"

	bolt "go.etcd.io/bbolt"

	"opsdeck/deck"
	"opsdeck/deck/fsrs"
)

// The event log, for sync between machines (package sync moves it).
//
// Once EnableSync gave the file a device ID (meta/"device"), every write
// transaction also appends the events that describe what it changed, in
// the same transaction (withEvents, called by update: the one write
// path). What changed is read from the undo ring, which every undoable
// action already fills with the keys it touched: a grade's record names
// its revlog entry; a generic record names every bucket key it changed; a
// ring one shorter after the transaction is an undo of the record that was
// newest before it. Settings and the interview date (written without an
// undo record) are compared before and after.
//
//	events/                            every event known, own and imported
//	  uvarint len ‖ device ID ‖ uint64 seq -> JSON Event
//	meta/"device"  -> device ID        absent: sync off, no events written
//	meta/"evseq"   -> uint64           the last own sequence number
//	meta/"sync"    -> JSON              the sync configuration (package sync)
//
// With sync on, a card touched for the first time is numbered by a hash of
// its ID (cardHashNum), not by the bucket sequence, so that every device
// gives a card the same number and `export --revlog` agrees byte for byte;
// EnableSync renumbers the cards already there once.

// EventFormat is the event format this opsdeck writes and reads.
const EventFormat = 1

// Event kinds.
const (
	EvGrade   = "grade"   // Card, Rating, MS at At
	EvRetract = "retract" // the grade of Card at RefAt is undone
	EvProg    = "prog"    // Card's progress record set by Action (Val)
	EvPut     = "put"     // Bucket/Key set to Val (Del: deleted), last writer wins
)

// Event is one change, named by device and sequence number.
type Event struct {
	V      int    `json:"v"`
	Dev    string `json:"dev"`
	Seq    uint64 `json:"seq"`
	At     int64  `json:"at"` // Unix nanoseconds
	Kind   string `json:"k"`
	Card   string `json:"card,omitempty"`
	Rating int    `json:"r,omitempty"`
	MS     int64  `json:"ms,omitempty"`
	RefAt  int64  `json:"ref_at,omitempty"`
	Action string `json:"action,omitempty"`
	Bucket string `json:"b,omitempty"`
	Key    string `json:"key,omitempty"`
	Val    []byte `json:"val,omitempty"`
	Del    bool   `json:"del,omitempty"`
}

var (
	bEvents   = []byte("events")
	kDevice   = []byte("device")
	kEvSeq    = []byte("evseq")
	kSyncConf = []byte("sync")
)

// ActionReweigh names the progress events of ApplyWeights: each card's
// state recomputed with the new parameters.
const ActionReweigh = "reweigh"

// ErrDeviceTwice: events of this file's own device ID that it did not
// write arrived: the data folder was copied to another machine.
var ErrDeviceTwice = errors.New("device ID seen twice")

// ErrEventFormat: events from a newer opsdeck.
var ErrEventFormat = errors.New("events from a newer opsdeck")

func eventKey(dev string, seq uint64) []byte {
	k := binary.AppendUvarint(nil, uint64(len(dev)))
	k = append(k, dev...)
	return binary.BigEndian.AppendUint64(k, seq)
}

// cardHashNum is a card's number with sync on: 52 bits of FNV-64a of its
// ID (exact in a float64, positive), probing on the rare collision.
func cardHashNum(pb *bolt.Bucket, id string, used map[uint64]bool) uint64 {
	h := fnv.New64a()
	h.Write([]byte(id))
	n := h.Sum64() & (1<<52 - 1)
	if n == 0 {
		n = 1
	}
	for used[n] {
		n = n%(1<<52-1) + 1
	}
	return n
}

// deviceOf is tx's file's device ID, "" when sync is off.
func deviceOf(tx *bolt.Tx) string {
	mb := tx.Bucket(bMeta)
	if mb == nil {
		return ""
	}
	return string(mb.Get(kDevice))
}

// txState is what withEvents compares after the transaction.
type txState struct {
	undoSeq   uint64
	newest    []byte
	settings  []byte
	interview []byte
}

func captureState(tx *bolt.Tx) txState {
	ub := tx.Bucket(bUndo)
	st := txState{undoSeq: ub.Sequence()}
	if st.undoSeq > 0 {
		st.newest = bytes.Clone(ub.Get(undoKey(st.undoSeq)))
	}
	mb := tx.Bucket(bMeta)
	st.settings = bytes.Clone(mb.Get(kSettings))
	st.interview = bytes.Clone(mb.Get(kInterview))
	return st
}

// withEvents runs fn in tx and, with sync on, appends the events of what
// it changed.
func (s *Store) withEvents(tx *bolt.Tx, fn func(*bolt.Tx) error) error {
	dev := deviceOf(tx)
	if dev == "" {
		return fn(tx)
	}
	pre := captureState(tx)
	notes := &noted{}
	txNotes.Store(tx, notes)
	defer txNotes.Delete(tx)
	if err := fn(tx); err != nil {
		return err
	}
	return s.emitChanges(tx, dev, pre, notes)
}

// txNotes holds, for each write transaction with sync on, the keys its
// action noted with noteKey: the few writes that leave no undo record
// (imports, deck rename and delete).
var txNotes sync.Map // *bolt.Tx -> *noted

type noted struct{ keys [][2]string }

// noteKey records that tx set or deleted bucket/key (a no-op with sync
// off): its value after the transaction becomes a put event.
func noteKey(tx *bolt.Tx, bucket []byte, key string) {
	if v, ok := txNotes.Load(tx); ok {
		n := v.(*noted)
		n.keys = append(n.keys, [2]string{string(bucket), key})
	}
}

func (s *Store) emitChanges(tx *bolt.Tx, dev string, pre txState, notes *noted) error {
	now := s.clock().UnixNano()
	var evs []Event
	ub := tx.Bucket(bUndo)
	seq := ub.Sequence()
	switch {
	case seq == pre.undoSeq+1:
		u, ok := decodeUndo(ub.Get(undoKey(seq)))
		if !ok {
			return corrupt("undo record", undoKey(seq))
		}
		if !u.generic {
			v := tx.Bucket(bRevlog).Get(u.logKey)
			r, ok := decodeReview(v)
			if !ok {
				return corrupt("review-log entry", u.logKey)
			}
			evs = append(evs, Event{Kind: EvGrade, At: int64(binary.BigEndian.Uint64(u.logKey)), Card: u.cardID,
				Rating: int(r.rating), MS: r.duration.Milliseconds()})
		} else {
			evs = append(evs, entryEvents(tx, u, now)...)
		}
	case seq+1 == pre.undoSeq && pre.newest != nil:
		u, ok := decodeUndo(pre.newest)
		if !ok {
			return corrupt("undo record", undoKey(pre.undoSeq))
		}
		if !u.generic && tx.Bucket(bRevlog).Get(u.logKey) != nil {
			break // the ring was cleared (DeleteDeck), not undone
		}
		if !u.generic {
			evs = append(evs, Event{Kind: EvRetract, At: now, Card: u.cardID, RefAt: int64(binary.BigEndian.Uint64(u.logKey))})
		} else {
			evs = append(evs, entryEvents(tx, u, now)...)
		}
	}
	seen := map[[2]string]bool{}
	for _, e := range evs {
		if e.Kind == EvPut {
			seen[[2]string{e.Bucket, e.Key}] = true
		}
	}
	for _, k := range notes.keys {
		if seen[k] {
			continue
		}
		seen[k] = true
		cur := bytes.Clone(tx.Bucket([]byte(k[0])).Get([]byte(k[1])))
		if k[0] == string(bProgress) {
			// A state set without an undo record (ApplyWeights).
			evs = append(evs, Event{Kind: EvProg, At: now, Card: k[1], Action: ActionReweigh, Val: cur, Del: cur == nil})
			continue
		}
		evs = append(evs, Event{Kind: EvPut, At: now, Bucket: k[0], Key: k[1], Val: cur, Del: cur == nil})
	}
	mb := tx.Bucket(bMeta)
	for _, k := range [][]byte{kSettings, kInterview} {
		old := pre.settings
		if bytes.Equal(k, kInterview) {
			old = pre.interview
		}
		cur := mb.Get(k)
		if !bytes.Equal(old, cur) {
			evs = append(evs, Event{Kind: EvPut, At: now, Bucket: string(bMeta), Key: string(k), Val: bytes.Clone(cur), Del: cur == nil})
		}
	}
	return appendOwn(tx, dev, evs)
}

// entryEvents are the events of a generic action's keys as they are now.
func entryEvents(tx *bolt.Tx, u undoRec, now int64) []Event {
	var evs []Event
	for _, e := range u.entries {
		cur := bytes.Clone(tx.Bucket(e.bucket).Get(e.key))
		switch string(e.bucket) {
		case string(bProgress):
			evs = append(evs, Event{Kind: EvProg, At: now, Card: string(e.key), Action: u.action, Val: cur, Del: cur == nil})
		case string(bDecks), string(bCards), string(bOverrides):
			evs = append(evs, Event{Kind: EvPut, At: now, Bucket: string(e.bucket), Key: string(e.key), Val: cur, Del: cur == nil})
		}
	}
	return evs
}

// appendOwn numbers evs as this device's next events and stores them.
func appendOwn(tx *bolt.Tx, dev string, evs []Event) error {
	if len(evs) == 0 {
		return nil
	}
	mb := tx.Bucket(bMeta)
	var seq uint64
	if v := mb.Get(kEvSeq); len(v) == 8 {
		seq = binary.BigEndian.Uint64(v)
	}
	eb, err := tx.CreateBucketIfNotExists(bEvents)
	if err != nil {
		return err
	}
	for _, e := range evs {
		seq++
		e.V, e.Dev, e.Seq = EventFormat, dev, seq
		b, err := json.Marshal(e)
		if err != nil {
			return err
		}
		if err := eb.Put(eventKey(dev, seq), b); err != nil {
			return err
		}
	}
	return mb.Put(kEvSeq, binary.BigEndian.AppendUint64(nil, seq))
}

// clock is the store's clock for event times.
func (s *Store) clock() time.Time {
	if s.now != nil {
		return s.now()
	}
	return time.Now()
}

// SyncDevice is the file's device ID, "" when sync is off.
func (s *Store) SyncDevice() (string, error) {
	var dev string
	err := s.view(func(tx *bolt.Tx) error { dev = deviceOf(tx); return nil })
	return dev, err
}

// SyncConfig and SetSyncConfig keep the sync configuration (package
// sync's JSON), local to this file: never an event.
func (s *Store) SyncConfig() ([]byte, error) {
	var b []byte
	err := s.view(func(tx *bolt.Tx) error { b = bytes.Clone(tx.Bucket(bMeta).Get(kSyncConf)); return nil })
	return b, err
}

func (s *Store) SetSyncConfig(b []byte) error {
	return s.updateRaw(func(tx *bolt.Tx) error { return tx.Bucket(bMeta).Put(kSyncConf, b) })
}

// EnableSync gives the file the device ID dev (replacing any earlier one:
// a re-init after the file was copied), renumbers its cards by the hash of
// their IDs, and writes the events of everything already there (each
// review, card flags and states, custom decks and cards, edits, settings,
// the interview date) as dev's first events, in one transaction.
func (s *Store) EnableSync(dev string) error {
	if dev == "" {
		return errors.New("empty device ID")
	}
	return s.updateRaw(func(tx *bolt.Tx) error {
		mb := tx.Bucket(bMeta)
		if old := deviceOf(tx); old == dev {
			return nil
		}
		if err := renumber(tx, s.loc); err != nil {
			return err
		}
		if err := mb.Put(kDevice, []byte(dev)); err != nil {
			return err
		}
		if err := mb.Delete(kEvSeq); err != nil {
			return err
		}
		// Keep imported events (other devices'), drop a former own ID's:
		// they stay in the shared folder under that ID.
		now := s.clock().UnixNano()
		var evs []Event
		c := tx.Bucket(bRevlog).Cursor()
		names, err := numNames(tx, s.loc)
		if err != nil {
			return err
		}
		for k, v := c.First(); k != nil; k, v = c.Next() {
			r, ok := decodeReview(v)
			if !ok || len(k) != revKeyLen {
				return corrupt("review-log entry", k)
			}
			evs = append(evs, Event{Kind: EvGrade, At: int64(binary.BigEndian.Uint64(k)), Card: names[r.num],
				Rating: int(r.rating), MS: r.duration.Milliseconds()})
		}
		err = tx.Bucket(bProgress).ForEach(func(k, v []byte) error {
			rec, ok := decodeProgress(v, s.loc)
			if !ok {
				return corrupt("progress", k)
			}
			if rec.placeholder {
				return nil
			}
			p := rec.p
			if p.Suspended || p.Leech || !p.BuriedUntil.IsZero() || p.Flag != 0 {
				evs = append(evs, Event{Kind: EvProg, At: now, Card: string(k), Action: deck.UndoSuspend, Val: bytes.Clone(v)})
			}
			return nil
		})
		if err != nil {
			return err
		}
		for _, b := range [][]byte{bDecks, bCards, bOverrides} {
			err := tx.Bucket(b).ForEach(func(k, v []byte) error {
				evs = append(evs, Event{Kind: EvPut, At: now, Bucket: string(b), Key: string(k), Val: bytes.Clone(v)})
				return nil
			})
			if err != nil {
				return err
			}
		}
		for _, k := range [][]byte{kSettings, kInterview} {
			if v := mb.Get(k); v != nil {
				evs = append(evs, Event{Kind: EvPut, At: now, Bucket: string(bMeta), Key: string(k), Val: bytes.Clone(v)})
			}
		}
		return appendOwn(tx, dev, evs)
	})
}

// numNames maps card numbers to card IDs (progress and orphans).
func numNames(tx *bolt.Tx, loc *time.Location) (map[uint64]string, error) {
	names := map[uint64]string{}
	err := tx.Bucket(bProgress).ForEach(func(k, v []byte) error {
		rec, ok := decodeProgress(v, loc)
		if !ok {
			return corrupt("progress", k)
		}
		names[rec.num] = string(k)
		return nil
	})
	if err != nil {
		return nil, err
	}
	err = tx.Bucket(bOrphans).ForEach(func(k, v []byte) error {
		if len(k) == 8 {
			names[binary.BigEndian.Uint64(k)] = string(v)
		}
		return nil
	})
	return names, err
}

// renumber gives every card its hash number (progress, review log,
// orphans), and clears the undo ring (its records hold old numbers).
func renumber(tx *bolt.Tx, loc *time.Location) error {
	names, err := numNames(tx, loc)
	if err != nil {
		return err
	}
	pb := tx.Bucket(bProgress)
	used := map[uint64]bool{}
	newNum := map[uint64]uint64{}
	ids := make([]string, 0, len(names))
	byID := map[string]uint64{}
	for n, id := range names {
		ids = append(ids, id)
		byID[id] = n
	}
	sort.Strings(ids)
	for _, id := range ids {
		n := cardHashNum(pb, id, used)
		used[n] = true
		newNum[byID[id]] = n
	}
	// Progress records.
	type kv struct{ k, v []byte }
	var puts []kv
	err = pb.ForEach(func(k, v []byte) error {
		rec, _ := decodeProgress(v, loc)
		rec.num = newNum[rec.num]
		puts = append(puts, kv{bytes.Clone(k), encodeProgress(rec)})
		return nil
	})
	if err != nil {
		return err
	}
	for _, p := range puts {
		if err := pb.Put(p.k, p.v); err != nil {
			return err
		}
	}
	// The review log.
	lb := tx.Bucket(bRevlog)
	puts = puts[:0]
	err = lb.ForEach(func(k, v []byte) error {
		r, ok := decodeReview(v)
		if !ok {
			return corrupt("review-log entry", k)
		}
		r.num = newNum[r.num]
		puts = append(puts, kv{bytes.Clone(k), encodeReview(r)})
		return nil
	})
	if err != nil {
		return err
	}
	for _, p := range puts {
		if err := lb.Put(p.k, p.v); err != nil {
			return err
		}
	}
	// Orphans.
	ob := tx.Bucket(bOrphans)
	puts = puts[:0]
	var dels [][]byte
	err = ob.ForEach(func(k, v []byte) error {
		if len(k) == 8 {
			dels = append(dels, bytes.Clone(k))
			puts = append(puts, kv{numKey(newNum[binary.BigEndian.Uint64(k)]), bytes.Clone(v)})
		}
		return nil
	})
	if err != nil {
		return err
	}
	for _, k := range dels {
		if err := ob.Delete(k); err != nil {
			return err
		}
	}
	for _, p := range puts {
		if err := ob.Put(p.k, p.v); err != nil {
			return err
		}
	}
	return clearUndo(tx)
}

// OwnEvents are this device's events with seq > after, in order.
func (s *Store) OwnEvents(after uint64) (dev string, evs []Event, err error) {
	err = s.view(func(tx *bolt.Tx) error {
		dev = deviceOf(tx)
		if dev == "" {
			return nil
		}
		eb := tx.Bucket(bEvents)
		if eb == nil {
			return nil
		}
		prefix := eventKey(dev, 0)
		prefix = prefix[:len(prefix)-8]
		c := eb.Cursor()
		for k, v := c.Seek(eventKey(dev, after+1)); k != nil && bytes.HasPrefix(k, prefix) && len(k) == len(prefix)+8; k, v = c.Next() {
			var e Event
			if err := json.Unmarshal(v, &e); err != nil {
				return corrupt("event", k)
			}
			evs = append(evs, e)
		}
		return nil
	})
	return dev, evs, err
}

// EventStats are the own last sequence number and the devices seen.
func (s *Store) EventStats() (ownSeq uint64, devices int, err error) {
	err = s.view(func(tx *bolt.Tx) error {
		if v := tx.Bucket(bMeta).Get(kEvSeq); len(v) == 8 {
			ownSeq = binary.BigEndian.Uint64(v)
		}
		seen := map[string]bool{}
		if eb := tx.Bucket(bEvents); eb != nil {
			c := eb.Cursor()
			for k, _ := c.First(); k != nil; {
				n, w := binary.Uvarint(k)
				if w <= 0 || len(k) < w+int(n) {
					break
				}
				dev := string(k[w : w+int(n)])
				seen[dev] = true
				// Skip to the next device.
				k, _ = c.Seek(append(eventKey(dev, 0)[:w+int(n)], 0xff))
			}
		}
		devices = len(seen)
		return nil
	})
	return ownSeq, devices, err
}

// ImportResult of ImportEvents.
type MergeResult struct {
	New      int // events not known before
	Cards    int // cards replayed
	MaxAhead time.Duration
}

// ImportEvents merges other devices' events, in one transaction:
// idempotent (an event already known, by device and sequence, is
// skipped). Every card touched by a new event is replayed from its whole
// merged history in time order (ties by device, then sequence); keys set
// by put events take the last writer's value (by time, then device, then
// sequence). Events of this file's own device that it does not have are
// refused (ErrDeviceTwice), as are events of a newer format.
func (s *Store) ImportEvents(evs []Event) (MergeResult, error) {
	var res MergeResult
	err := s.updateRaw(func(tx *bolt.Tx) error {
		dev := deviceOf(tx)
		if dev == "" {
			return errors.New("sync is not set up for this database")
		}
		eb, err := tx.CreateBucketIfNotExists(bEvents)
		if err != nil {
			return err
		}
		now := s.clock().UnixNano()
		cards := map[string]bool{}
		keys := map[string]bool{}
		for _, e := range evs {
			if e.V > EventFormat || e.V < 1 {
				return fmt.Errorf("%w: event %s/%d has format %d; this opsdeck reads up to %d: upgrade opsdeck", ErrEventFormat, e.Dev, e.Seq, e.V, EventFormat)
			}
			k := eventKey(e.Dev, e.Seq)
			if have := eb.Get(k); have != nil {
				if e.Dev == dev {
					// Our own event: it must be the one we wrote.
					b, err := json.Marshal(e)
					if err != nil {
						return err
					}
					if !bytes.Equal(b, have) {
						return fmt.Errorf("%w: another machine wrote different events as this device (%s, number %d)", ErrDeviceTwice, dev, e.Seq)
					}
				}
				continue
			}
			if e.Dev == dev {
				return fmt.Errorf("%w: events of this device (%s, number %d) that it never wrote are in the sync folder", ErrDeviceTwice, dev, e.Seq)
			}
			b, err := json.Marshal(e)
			if err != nil {
				return err
			}
			if err := eb.Put(k, b); err != nil {
				return err
			}
			res.New++
			if d := time.Duration(e.At - now); d > res.MaxAhead {
				res.MaxAhead = d
			}
			switch e.Kind {
			case EvGrade, EvRetract, EvProg:
				cards[e.Card] = true
			case EvPut:
				keys[e.Bucket+"\x00"+e.Key] = true
			}
		}
		if res.New == 0 {
			return nil
		}
		// One pass over every event: each touched card's history and the
		// last writer of each touched key.
		hist := map[string][]Event{}
		last := map[string]Event{}
		var settingsHist []Event
		all := false // every card's history (the settings changed)
		pass := func() error {
			settingsHist = settingsHist[:0]
			c := eb.Cursor()
			for k, v := c.First(); k != nil; k, v = c.Next() {
				var e Event
				if err := json.Unmarshal(v, &e); err != nil {
					return corrupt("event", k)
				}
				switch e.Kind {
				case EvGrade, EvRetract, EvProg:
					if all || cards[e.Card] {
						hist[e.Card] = append(hist[e.Card], e)
					}
				case EvPut:
					if e.Bucket == string(bMeta) && e.Key == string(kSettings) && !e.Del {
						settingsHist = append(settingsHist, e)
					}
					id := e.Bucket + "\x00" + e.Key
					if !all && keys[id] {
						if l, ok := last[id]; !ok || evLess(l, e) {
							last[id] = e
						}
					}
				}
			}
			return nil
		}
		if err := pass(); err != nil {
			return err
		}
		oldSettings := bytes.Clone(tx.Bucket(bMeta).Get(kSettings))
		for _, e := range last {
			b := tx.Bucket([]byte(e.Bucket))
			if b == nil || (e.Bucket == string(bMeta) && e.Key != string(kSettings) && e.Key != string(kInterview)) {
				continue
			}
			if e.Del {
				err = b.Delete([]byte(e.Key))
			} else {
				err = b.Put([]byte(e.Key), e.Val)
			}
			if err != nil {
				return err
			}
		}
		if !bytes.Equal(oldSettings, tx.Bucket(bMeta).Get(kSettings)) {
			// New settings (fitted parameters, retention, steps): every
			// card is replayed with them, as on the device that set them
			// (which wrote the states its ApplyWeights gave as events).
			all, hist = true, map[string][]Event{}
			if err := pass(); err != nil {
				return err
			}
			for id := range hist {
				cards[id] = true
			}
		}
		ids := make([]string, 0, len(hist))
		for id := range hist {
			ids = append(ids, id)
		}
		sort.Strings(ids)
		// The undo ring survives the merge unless one of its actions
		// touched what the merge rewrote (replay fills it too).
		ring, keep := undoRing(tx, cards, keys)
		if err := s.replayCards(tx, ids, hist, settingsHist); err != nil {
			return err
		}
		res.Cards = len(ids)
		if err := clearUndo(tx); err != nil {
			return err
		}
		if keep {
			ub := tx.Bucket(bUndo)
			for _, kv := range ring.slots {
				if err := ub.Put(kv[0], kv[1]); err != nil {
					return err
				}
			}
			return ub.SetSequence(ring.seq)
		}
		return nil
	})
	return res, err
}

// flagsOnly reports whether an action (an undo record's name) sets only
// a card's flags (suspended, buried, leech, the flag colour), so that a
// merge keeps the scheduling state the merged reviews give; any other
// action on progress (forget, set due) sets the state itself.
func flagsOnly(action string) bool {
	switch action {
	case deck.UndoBury, deck.UndoSuspend, "unsuspend", "clear flag":
		return true
	}
	return strings.HasPrefix(action, "flag ")
}

// evLess orders events by time, then device, then sequence.
func evLess(a, b Event) bool {
	if a.At != b.At {
		return a.At < b.At
	}
	if a.Dev != b.Dev {
		return a.Dev < b.Dev
	}
	return a.Seq < b.Seq
}

// replayCards rebuilds each card from its merged history: its review-log
// entries are removed, its record reset to new (keeping its number), and
// the grades not retracted are made again in order with the scheduler
// (the card's deck's), progress events set in between.
func (s *Store) replayCards(tx *bolt.Tx, ids []string, hist map[string][]Event, settingsHist []Event) error {
	st, sch, err := s.gradeSetup(tx)
	if err != nil {
		return err
	}
	// Each review is made again with the settings in force at its time:
	// the newest settings event at or before it (before the first one,
	// the first), as on the device that made it.
	sort.Slice(settingsHist, func(i, j int) bool { return evLess(settingsHist[i], settingsHist[j]) })
	type version struct {
		st  deck.Settings
		sch *fsrs.Scheduler
	}
	versions := map[string]version{}
	settingsAt := func(at int64) (deck.Settings, *fsrs.Scheduler, error) {
		if len(settingsHist) == 0 {
			return st, sch, nil
		}
		i := sort.Search(len(settingsHist), func(i int) bool { return settingsHist[i].At > at }) - 1
		i = max(i, 0)
		raw := settingsHist[i].Val
		if v, ok := versions[string(raw)]; ok {
			return v.st, v.sch, nil
		}
		vst, err := decodeSettings(raw)
		if err != nil {
			return st, nil, fmt.Errorf("%w: settings event: %v", ErrDamaged, err)
		}
		vsch, err := s.schedulerFor(vst)
		if err != nil {
			return st, nil, err
		}
		versions[string(raw)] = version{vst, vsch}
		return vst, vsch, nil
	}
	nums := map[uint64]string{}
	recs := map[string]progressRec{}
	for _, id := range ids {
		rec, err := getProgress(tx, id, s.loc)
		if err != nil {
			return err
		}
		if rec.num == 0 {
			rec.num = cardHashNum(tx.Bucket(bProgress), id, nil)
		}
		nums[rec.num] = id
		recs[id] = rec
	}
	// Remove the cards' review-log entries.
	lb := tx.Bucket(bRevlog)
	var dels [][]byte
	err = lb.ForEach(func(k, v []byte) error {
		r, ok := decodeReview(v)
		if !ok {
			return corrupt("review-log entry", k)
		}
		if _, ok := nums[r.num]; ok {
			dels = append(dels, bytes.Clone(k))
		}
		return nil
	})
	if err != nil {
		return err
	}
	for _, k := range dels {
		if err := lb.Delete(k); err != nil {
			return err
		}
	}
	for _, id := range ids {
		evs := hist[id]
		sort.Slice(evs, func(i, j int) bool { return evLess(evs[i], evs[j]) })
		// A review is its card and instant: the same review from two
		// devices (a re-initialised copy shares its history again) counts
		// once, and a retraction removes it.
		retracted := map[int64]bool{}
		for _, e := range evs {
			if e.Kind == EvRetract {
				retracted[e.RefAt] = true
			}
		}
		done := map[int64]bool{}
		rec := recs[id]
		if err := putProgress(tx, &progressRec{num: rec.num, placeholder: true, p: deck.Progress{CardID: id}}); err != nil {
			return err
		}
		var flags *deck.Progress
		for _, e := range evs {
			switch e.Kind {
			case EvGrade:
				if retracted[e.At] || done[e.At] {
					continue
				}
				done[e.At] = true
				est, esch, err := settingsAt(e.At)
				if err != nil {
					return err
				}
				if d, _, _ := strings.Cut(id, "/"); est.Decks[d].DesiredRetention != 0 && est.Decks[d].DesiredRetention != est.DesiredRetention {
					// The deck's own desired retention (deckScheduler's rule).
					k := fmt.Sprintf("%p/%s", esch, d)
					if v, ok := versions[k]; ok {
						esch = v.sch
					} else {
						if esch, err = s.schedulerFor(est.For(d)); err != nil {
							return err
						}
						versions[k] = version{est, esch}
					}
				}
				if _, err := gradeTx(tx, s.loc, est, esch, id, fsrs.Rating(e.Rating), time.Unix(0, e.At).In(s.loc), time.Duration(e.MS)*time.Millisecond); err != nil {
					return err
				}
			case EvProg:
				cur, err := getProgress(tx, id, s.loc)
				if err != nil {
					return err
				}
				var set deck.Progress
				if !e.Del {
					r, ok := decodeProgress(e.Val, s.loc)
					if !ok {
						return corrupt("event progress of", []byte(id))
					}
					if !r.placeholder {
						set = r.p
					}
				}
				f := set
				flags = &f
				if !flagsOnly(e.Action) {
					// A state set by the action (forget, set due): it
					// replaces the scheduling state from here on.
					cur.p.Sched = set.Sched
				}
				cur.placeholder = false
				cur.p.CardID = id
				if err := putProgress(tx, &cur); err != nil {
					return err
				}
			}
		}
		if flags != nil {
			cur, err := getProgress(tx, id, s.loc)
			if err != nil {
				return err
			}
			cur.placeholder = false
			cur.p.CardID = id
			cur.p.Suspended, cur.p.Leech, cur.p.BuriedUntil, cur.p.Flag = flags.Suspended, flags.Leech, flags.BuriedUntil, flags.Flag
			if err := putProgress(tx, &cur); err != nil {
				return err
			}
		}
	}
	return nil
}

// ringCopy is the undo ring's content.
type ringCopy struct {
	seq   uint64
	slots [][2][]byte
}

// undoRing copies the ring and reports whether none of its actions
// touched cards or keys (then it may stay after a merge).
func undoRing(tx *bolt.Tx, cards, keys map[string]bool) (ringCopy, bool) {
	ub := tx.Bucket(bUndo)
	r := ringCopy{seq: ub.Sequence()}
	keep := true
	_ = ub.ForEach(func(k, v []byte) error {
		r.slots = append(r.slots, [2][]byte{bytes.Clone(k), bytes.Clone(v)})
		u, ok := decodeUndo(v)
		if !ok {
			keep = false
			return nil
		}
		if cards[u.cardID] {
			keep = false
		}
		for _, id := range u.cardIDs {
			if cards[id] {
				keep = false
			}
		}
		for _, e := range u.entries {
			if keys[string(e.bucket)+"\x00"+string(e.key)] || (string(e.bucket) == string(bProgress) && cards[string(e.key)]) {
				keep = false
			}
		}
		return nil
	})
	return r, keep
}

// verifyEvents checks the optional event log: every value an event whose
// key names its device and number.
func verifyEvents(tx *bolt.Tx) error {
	b := tx.Bucket(bEvents)
	if b == nil {
		return nil
	}
	return b.ForEach(func(k, v []byte) error {
		var e Event
		if err := json.Unmarshal(v, &e); err != nil || !bytes.Equal(k, eventKey(e.Dev, e.Seq)) {
			return fmt.Errorf("bucket %q key %x: undecodable event", bEvents, k)
		}
		return nil
	})
}
