package sets

import (
	"strings"

	"github.com/nixlayer/nixlayer/internal/usererr"
)

// ParseSpec splits a set spec such as "base, python" into set names. Names
// are separated by commas and trimmed of surrounding white space; a
// repeated name is kept only once, where it first appears. An empty spec,
// and an empty name (as in "base,,python" or "base,"), are errors that wrap
// usererr.ErrBadInput: a typo must not silently build something else. ParseSpec
// does not check that the names exist; Catalog.Compose does.
func ParseSpec(spec string) ([]string, error) {
	if strings.TrimSpace(spec) == "" {
		return nil, usererr.Errorf(`parsing set spec: it is empty; list sets separated by commas, such as "base,python"`)
	}
	var names []string
	seen := make(map[string]bool)
	for _, field := range strings.Split(spec, ",") {
		name := strings.TrimSpace(field)
		if name == "" {
			return nil, usererr.Errorf(`parsing set spec %q: it has an empty set name; separate set names with single commas, such as "base,python"`, spec)
		}
		if !seen[name] {
			seen[name] = true
			names = append(names, name)
		}
	}
	return names, nil
}
