package main

import (
	"encoding/json"
	"testing"

	"github.com/google/go-containerregistry/pkg/name"
	v1 "github.com/google/go-containerregistry/pkg/v1"
	"github.com/google/go-containerregistry/pkg/v1/empty"

	"github.com/nixlayer/nixlayer/internal/sbom"
)

func digestOf(data []byte) string { return sbom.Digest(data) }

func mustTag(t *testing.T) name.Tag {
	t.Helper()
	tag, err := name.NewTag("nixlayer/runtime:latest")
	if err != nil {
		t.Fatal(err)
	}
	return tag
}

func emptyIndex() v1.ImageIndex { return empty.Index }

func jsonUnmarshal(data []byte, v any) error { return json.Unmarshal(data, v) }
