// Package changes describes what moving the nixpkgs pin changes, for the
// reviewer of the pull request that moves it: the pins, the packages whose
// version changes (with the class of the change), the attributes added and
// removed, each set's closure size, the bytes each standard image's users
// pull again, and, when a scanner is wired, the vulnerabilities fixed and
// brought. It is light (it neither evaluates nor builds; internal/update
// does), so the Dagger module's root reads its JSON too.
//
// The parts are pure functions of what the two pins' evaluations gave:
//
//	r := &changes.Report{Old: oldPin, New: newPin, Changed: true}
//	r.Versions, r.Added, r.Removed, r.Rebuilt = changes.CompareVersions(oldPlan, newPlan)
//	r.Sets, err = changes.SetSizes(sets.Builtin(), changes.Closure{Roots: oldRoots, Graph: oldGraph}, changes.Closure{Roots: newRoots, Graph: newGraph})
//	md := changes.Markdown(r, changes.PullRequestLimit)
//
// Markdown is ready for a pull request's body: a short table first (the
// pins, the number of version changes by class, what was added and
// removed, the bytes to pull again per image), then <details> blocks with
// the tables. GitHub refuses a body longer than 65,536 characters, so
// Markdown cuts rows, and then whole blocks, to stay under a limit, and
// says what it cut; the JSON (see Report) keeps everything.
//
// A version change is classed by internal/version (major, minor, patch,
// other, downgrade); an attribute whose version stays but whose out path
// changes is "rebuilt" (a dependency moved, or a patch was added).
package changes
