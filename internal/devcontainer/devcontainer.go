// Package devcontainer is what nixlayer tells the devcontainer tools, once:
// the devcontainer.metadata label of a devcontainer image, and the
// devcontainer.json of a project that uses one. Both carry the VS Code
// customizations of the image's sets, from Customizations.
//
//	c := devcontainer.Customizations(sel.Extensions, sel.Settings)
//	label, _ := devcontainer.Label(devcontainer.Metadata{RemoteUser: "vscode", Customizations: c, …})
//	file, _ := devcontainer.File("ghcr.io/acme/app/devcontainer:1", "vscode", c)
package devcontainer

import (
	"encoding/json"
	"fmt"
	"maps"
	"slices"
)

// RemoteUser is the devcontainer image's user, whom tools run as.
const RemoteUser = "vscode"

// Customizations is the "customizations" property of the VS Code
// extensions and settings of sets, or nil when there are none.
func Customizations(extensions []string, settings map[string]any) map[string]any {
	vscode := map[string]any{}
	if len(extensions) > 0 {
		vscode["extensions"] = slices.Clone(extensions)
	}
	if len(settings) > 0 {
		vscode["settings"] = maps.Clone(settings)
	}
	if len(vscode) == 0 {
		return nil
	}
	return map[string]any{"vscode": vscode}
}

// Metadata is the devcontainer.json properties a devcontainer image
// brings, which tools merge with the project's devcontainer.json.
type Metadata struct {
	// RemoteUser is the user tools run as.
	RemoteUser string
	// ContainerEnv is the environment tools give the container.
	ContainerEnv map[string]string
	// OnCreateCommand runs, without a shell, once the container exists.
	OnCreateCommand []string
	// Customizations are from Customizations.
	Customizations map[string]any
}

// Label is the devcontainer.metadata label of m: a JSON array of one
// object, as the devcontainer spec defines the label. Its bytes depend on
// m alone (JSON sorts map keys).
func Label(m Metadata) (string, error) {
	entry := map[string]any{"id": "nixlayer", "remoteUser": m.RemoteUser}
	if len(m.ContainerEnv) > 0 {
		entry["containerEnv"] = m.ContainerEnv
	}
	if len(m.OnCreateCommand) > 0 {
		entry["onCreateCommand"] = m.OnCreateCommand
	}
	if m.Customizations != nil {
		entry["customizations"] = m.Customizations
	}
	data, err := json.Marshal([]any{entry})
	if err != nil {
		return "", fmt.Errorf("encoding devcontainer.metadata: %w", err)
	}
	return string(data), nil
}

// File is the devcontainer.json of a project that works in image: the
// image, its user (whose uid and gid the devcontainer CLI updates to the
// host user's, updateRemoteUserUID), and the customizations of its sets.
// The rest comes from the image's label.
func File(image, remoteUser string, customizations map[string]any) ([]byte, error) {
	doc := map[string]any{"image": image, "remoteUser": remoteUser, "updateRemoteUserUID": true}
	if customizations != nil {
		doc["customizations"] = customizations
	}
	data, err := json.MarshalIndent(doc, "", "  ")
	if err != nil {
		return nil, fmt.Errorf("encoding devcontainer.json: %w", err)
	}
	return append(data, '\n'), nil
}
