// Package ids is version 1 of the IDs: plain integers.
package ids

// UserID is a numeric user ID.
type UserID int32
