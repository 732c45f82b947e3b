package store

func cleanupFixtures() {}
