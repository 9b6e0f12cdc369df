// Package usererr marks the errors that what the user wrote caused: a set
// spec, an attribute path, a project file, a flag's value, an image or a
// database given to scan. Every command exits with status 2 for them and 1
// for other failures (the environment, the network, Nix), and tells them
// apart with one check:
//
//	if errors.Is(err, usererr.ErrBadInput) { … }
//
// It is a leaf: it imports nothing of nixlayer's, so that every package
// that checks what the user asked for can use it.
package usererr
