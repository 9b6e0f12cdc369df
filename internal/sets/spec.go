package sets

import "strings"

// ParseSpec splits a set spec such as "base, python" into set names. Names
// are separated by commas and trimmed of surrounding white space; empty
// names (as in "base,,python" or a trailing comma) are skipped, and a
// repeated name is kept only once, where it first appears. A spec that names
// no set is an error that wraps ErrBadInput. ParseSpec does not check that
// the names exist; Catalog.Compose does.
func ParseSpec(spec string) ([]string, error) {
	var names []string
	seen := make(map[string]bool)
	for _, field := range strings.Split(spec, ",") {
		name := strings.TrimSpace(field)
		if name == "" || seen[name] {
			continue
		}
		seen[name] = true
		names = append(names, name)
	}
	if len(names) == 0 {
		if strings.TrimSpace(spec) == "" {
			return nil, badInputf(`parsing set spec: it is empty; list sets separated by commas, such as "base,python"`)
		}
		return nil, badInputf(`parsing set spec %q: it names no sets; list sets separated by commas, such as "base,python"`, spec)
	}
	return names, nil
}
