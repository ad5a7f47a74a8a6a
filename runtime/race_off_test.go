//go:build !race

package kk_test

const raceEnabled = false
