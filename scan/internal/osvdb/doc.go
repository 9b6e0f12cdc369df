// Package osvdb manages the OSV databases a scan matches against: the
// zipped exports osv-scanner reads offline, one per ecosystem, laid out as
// DIR/osv-scalibr/<Ecosystem>/all.zip.
//
// A local copy (--db DIR) is checked before a scan, so that a broken zip or
// record is one clear error rather than advisories osv-scanner skips
// silently. Otherwise the databases are downloaded into a cache directory,
// each only when the server has a newer one:
//
//	dir, warnings, err := osvdb.Download(ctx, http.DefaultClient, osvdb.DefaultURL, cacheDir, osvdb.Ecosystems)
//
// Records reads one ecosystem's records, those of the repositories a
// scan asks for, decoded with the OSV schema's bindings: the GIT records,
// which nixlayer matches itself.
package osvdb
