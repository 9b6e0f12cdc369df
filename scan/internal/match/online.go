package match

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"

	osvpb "github.com/ossf/osv-schema/bindings/go/osvschema"
	"google.golang.org/protobuf/encoding/protojson"
)

// DefaultAPI is osv.dev's API, which --online asks.
const DefaultAPI = "https://api.osv.dev"

// maxPages bounds the pages of one query: osv.dev pages a query's
// answer beyond 1,000 records, which no commit comes near.
const maxPages = 20

// queryRequest is the body of POST /v1/query by commit, as osv.dev's API
// documents it (docs/api/post-v1-query.md: "commit", and "page_token" for
// the next page).
type queryRequest struct {
	Commit    string `json:"commit"`
	PageToken string `json:"page_token,omitempty"`
}

// queryResponse is its answer: the records, and next_page_token while
// there are more.
type queryResponse struct {
	Vulns         []json.RawMessage `json:"vulns"`
	NextPageToken string            `json:"next_page_token"`
}

// queryCommit asks osv.dev's API at api for the records whose GIT ranges
// contain commit, following next_page_token.
func queryCommit(ctx context.Context, client *http.Client, api, commit string) ([]*osvpb.Vulnerability, error) {
	if client == nil {
		client = http.DefaultClient
	}
	endpoint := strings.TrimSuffix(api, "/") + "/v1/query"
	host := api
	if u, err := url.Parse(api); err == nil && u.Host != "" {
		host = u.Host
	}
	var out []*osvpb.Vulnerability
	req := queryRequest{Commit: commit}
	for page := 0; ; page++ {
		if page == maxPages {
			return nil, fmt.Errorf("asking %s about commit %s: more than %d pages", host, commit, maxPages)
		}
		resp, err := post(ctx, client, endpoint, req)
		if err != nil {
			return nil, fmt.Errorf("asking %s about commit %s: %w", host, commit, err)
		}
		for _, raw := range resp.Vulns {
			v := &osvpb.Vulnerability{}
			if err := (protojson.UnmarshalOptions{DiscardUnknown: true}).Unmarshal(raw, v); err != nil {
				return nil, fmt.Errorf("asking %s about commit %s: a record: %w", host, commit, err)
			}
			out = append(out, v)
		}
		if resp.NextPageToken == "" {
			return out, nil
		}
		req.PageToken = resp.NextPageToken
	}
}

func post(ctx context.Context, client *http.Client, endpoint string, body queryRequest) (*queryResponse, error) {
	data, err := json.Marshal(body)
	if err != nil {
		return nil, err
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, endpoint, bytes.NewReader(data))
	if err != nil {
		return nil, err
	}
	req.Header.Set("Content-Type", "application/json")
	resp, err := client.Do(req)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	payload, err := io.ReadAll(io.LimitReader(resp.Body, 64<<20))
	if err != nil {
		return nil, err
	}
	if resp.StatusCode != http.StatusOK {
		msg := strings.Join(strings.Fields(string(payload)), " ")
		if len(msg) > 200 {
			msg = msg[:200] + "…"
		}
		return nil, fmt.Errorf("%s: %s", resp.Status, msg)
	}
	var r queryResponse
	if err := json.Unmarshal(payload, &r); err != nil {
		return nil, fmt.Errorf("decoding the answer: %w", err)
	}
	return &r, nil
}
