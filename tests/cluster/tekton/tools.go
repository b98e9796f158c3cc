//go:build tools

// Package tools pins Tekton's entrypoint binary that build.sh compiles (the Kubernetes executor's step runner).
package tools

import (
	_ "github.com/tektoncd/pipeline/cmd/entrypoint"
)
