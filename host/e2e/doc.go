// Package e2e is the end-to-end suite for the bridge (see e2e_test.go).
package e2e
