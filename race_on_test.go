//go:build race

package main

// raceOn: the race detector slows the big fixture's build tenfold, so its
// tests use a smaller one.
const raceOn = true
