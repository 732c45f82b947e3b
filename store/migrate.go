package store

import (
	"fmt"
	"time"

	bolt "go.etcd.io/bbolt"
)

// migration upgrades a database from schema From to From+1, inside the
// single transaction that runs all pending migrations.
type migration struct {
	From int
	Name string
	Up   func(tx *bolt.Tx) error
}

// migrations lists every upgrade in order. Each one needs a seed-then-check
// test in migrate_test.go (TestEveryMigrationHasATest enforces it). Schema
// 1 is the first released layout.
var migrations = []migration{
	{From: 1, Name: "progress records get the flag byte", Up: migrateFlags},
}

// migrateFlags rewrites every progress record from format 1 to format 2
// (a trailing flag byte, 0 = no flag), and so the copies kept in the undo
// ring: a grade's record holds one, a generic record (any other action)
// one per progress/ value it saved. A record already in format 2 is left
// as it is.
func migrateFlags(tx *bolt.Tx) error {
	pb := tx.Bucket(bProgress)
	type kv struct{ k, v []byte }
	var todo []kv
	err := pb.ForEach(func(k, v []byte) error {
		r, ok := decodeProgressFormat(v, time.UTC, true)
		if !ok {
			return corrupt("progress of", k)
		}
		if v[0] != progressFormat {
			todo = append(todo, kv{append([]byte(nil), k...), encodeProgress(r)})
		}
		return nil
	})
	if err != nil {
		return err
	}
	pb.FillPercent = tableFill
	for _, e := range todo {
		if err := pb.Put(e.k, e.v); err != nil {
			return err
		}
	}
	ub := tx.Bucket(bUndo)
	todo = todo[:0]
	err = ub.ForEach(func(k, v []byte) error {
		u, ok := decodeUndoFormat(v, true)
		if !ok {
			return corrupt("undo record", k)
		}
		if u.generic { // any action but a grade: its saved progress records
			for i, e := range u.entries {
				if e.present && string(e.bucket) == string(bProgress) {
					r, _ := decodeProgressFormat(e.prev, time.UTC, true)
					u.entries[i].prev = encodeProgress(r)
				}
			}
			todo = append(todo, kv{append([]byte(nil), k...), encodeGenericUndo(u)})
			return nil
		}
		r, _ := decodeProgressFormat(u.prev, time.UTC, true)
		u.prev = encodeProgress(r)
		todo = append(todo, kv{append([]byte(nil), k...), encodeUndo(u)})
		return nil
	})
	if err != nil {
		return err
	}
	for _, e := range todo {
		if err := ub.Put(e.k, e.v); err != nil {
			return err
		}
	}
	return nil
}

// BackupPath is where Open copies a database of schema v before migrating it.
func BackupPath(path string, v int) string { return fmt.Sprintf("%s.bak-v%d", path, v) }

// migrate copies the file to BackupPath(path, from), then runs the
// migrations from..currentSchema-1 in one transaction. On failure nothing
// is changed (the transaction rolls back) and the backup stays.
func (s *Store) migrate(from int) error {
	backup := BackupPath(s.path, from)
	fail := func(format string, a ...any) error {
		return &OpenError{Path: s.path, Err: fmt.Errorf(format, a...),
			Detail: fmt.Sprintf("upgrading from schema %d to %d", from, currentSchema)}
	}
	if err := s.view(func(tx *bolt.Tx) error { return copyTx(tx, backup) }); err != nil {
		return fail("backup copy failed, nothing was changed: %v", err)
	}
	err := s.update(func(tx *bolt.Tx) error {
		mb := tx.Bucket(bMeta)
		if mb == nil || string(mb.Get(kApp)) != appMarker {
			return ErrNotOpsdeck
		}
		for v := from; v < currentSchema; v++ {
			var m *migration
			for i := range migrations {
				if migrations[i].From == v {
					m = &migrations[i]
				}
			}
			if m == nil {
				return fmt.Errorf("no migration from schema %d", v)
			}
			if err := m.Up(tx); err != nil {
				return fmt.Errorf("migration %d->%d (%s): %w", v, v+1, m.Name, err)
			}
		}
		for _, name := range allBuckets {
			if tx.Bucket(name) == nil {
				return fmt.Errorf("after migrating, bucket %q is missing", name)
			}
		}
		return putSchema(tx, currentSchema)
	})
	if err != nil {
		return fail("%v; the file was not changed, a copy is at %s", err, backup)
	}
	return nil
}
