// Package scantest makes what the scanner's tests scan: a small OSV
// database of hand-written records, zipped in osv-scanner's layout, and
// synthetic images.
package scantest
