package lock

// Source is the locked entry of an input as Nix wrote it, for any source
// type. Unlike a Pin it is not checked: a path input, such as a nixpkgs
// given with --override-input nixpkgs path:…, has no rev, and its
// lastModified is the newest modification time of its files.
type Source struct {
	Type         string `json:"type"`
	Rev          string `json:"rev"`
	NarHash      string `json:"narHash"`
	LastModified int64  `json:"lastModified"`
}

// Label names the source in one word: its rev, or else its narHash.
func (s Source) Label() string {
	if s.Rev != "" {
		return s.Rev
	}
	return s.NarHash
}

// Locked parses the lock file data (see Parse) and returns the locked
// entry of the root's input called name, such as "nixpkgs", unchecked: an
// input locked to a path, which Input refuses, is fine. Its errors are
// Parse's, and Input's for a name the root has no input for or an input
// that follows another.
func Locked(data []byte, name string) (Source, error) {
	l, err := Parse(data)
	if err != nil {
		return Source{}, err
	}
	in, err := l.lookup(name)
	if err != nil {
		return Source{}, err
	}
	return Source{Type: in.pin.Type, Rev: in.pin.Rev, NarHash: in.pin.NarHash, LastModified: in.pin.LastModified}, nil
}
