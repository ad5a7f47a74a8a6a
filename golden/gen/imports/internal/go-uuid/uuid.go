// Package uuid lives in a directory whose name is not the package name.
package uuid

// Short is a short hex ID.
type Short string
