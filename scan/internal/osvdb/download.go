package osvdb

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
)

// Download brings the databases of ecos from baseURL into cacheDir, in the
// layout Check reads, and returns cacheDir. A database already cached is
// downloaded again only when the server says it changed since
// (If-Modified-Since). When the server cannot be reached but a cached copy
// exists, that copy is used and a warning says so; without one, the error
// names the host.
func Download(ctx context.Context, client *http.Client, baseURL, cacheDir string, ecos []string) (warnings []string, err error) {
	host := baseURL
	if u, err := url.Parse(baseURL); err == nil && u.Host != "" {
		host = u.Host
	}
	for _, eco := range ecos {
		file := ZipPath(cacheDir, eco)
		err := fetch(ctx, client, baseURL+"/"+url.PathEscape(eco)+"/all.zip", file)
		if err == nil {
			continue
		}
		if _, statErr := os.Stat(file); statErr == nil {
			warnings = append(warnings, fmt.Sprintf("could not update the OSV database for %s from %s (%v): using the cached copy in %s", eco, host, err, file))
			continue
		}
		return nil, fmt.Errorf("downloading the OSV database for %s from %s: %w", eco, host, err)
	}
	return warnings, nil
}

// fetch downloads u to file, unless file is as new as the server's copy.
// The file is replaced whole or not at all.
func fetch(ctx context.Context, client *http.Client, u, file string) error {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, u, nil)
	if err != nil {
		return err
	}
	if st, err := os.Stat(file); err == nil {
		req.Header.Set("If-Modified-Since", st.ModTime().UTC().Format(http.TimeFormat))
	}
	resp, err := client.Do(req)
	if err != nil {
		var uerr *url.Error
		if errors.As(err, &uerr) {
			return uerr.Err
		}
		return err
	}
	defer resp.Body.Close()
	switch resp.StatusCode {
	case http.StatusNotModified:
		return nil
	case http.StatusOK:
	default:
		return fmt.Errorf("the server answered %s", resp.Status)
	}
	if err := os.MkdirAll(filepath.Dir(file), 0o755); err != nil {
		return err
	}
	tmp, err := os.CreateTemp(filepath.Dir(file), ".all.zip-*")
	if err != nil {
		return err
	}
	defer os.Remove(tmp.Name())
	if _, err := io.Copy(tmp, resp.Body); err != nil {
		tmp.Close()
		return err
	}
	if err := tmp.Close(); err != nil {
		return err
	}
	if err := checkZip(tmp.Name()); err != nil {
		return err
	}
	// The server's time, so that If-Modified-Since compares its clock
	// with itself.
	if t, err := http.ParseTime(resp.Header.Get("Last-Modified")); err == nil {
		_ = os.Chtimes(tmp.Name(), t, t)
	}
	if err := os.Rename(tmp.Name(), file); err != nil {
		return err
	}
	return nil
}
