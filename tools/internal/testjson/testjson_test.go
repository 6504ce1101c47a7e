package testjson

import (
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

const stream = `{"Action":"start","Package":"m/p"}
{"Action":"run","Package":"m/p","Test":"TestA"}
{"Action":"output","Package":"m/p","Test":"TestA","Output":"=== RUN   TestA\n"}
{"Action":"output","Package":"m/p","Test":"TestA","Output":"--- PASS: TestA (0.00s)\n"}
{"Action":"pass","Package":"m/p","Test":"TestA","Elapsed":0.25}
{"Action":"run","Package":"m/p","Test":"TestB"}
{"Action":"output","Package":"m/p","Test":"TestB","Output":"    b_test.go:9: wrong\n"}
{"Action":"fail","Package":"m/p","Test":"TestB","Elapsed":0}
{"Action":"run","Package":"m/p","Test":"TestHung"}
not json at all
{"Action":"output","Package":"m/p","Output":"FAIL\n"}
{"Action":"fail","Package":"m/p","Elapsed":1.5}
`

func TestRead(t *testing.T) {
	rep, err := Read(strings.NewReader(stream))
	require.NoError(t, err)
	p := rep.Packages["m/p"]
	require.NotNil(t, p)
	assert.Equal(t, "fail", p.Action)
	assert.Equal(t, 1500*time.Millisecond, p.Elapsed)
	assert.Equal(t, "pass", p.Tests["TestA"].Action)
	assert.Equal(t, 250*time.Millisecond, p.Tests["TestA"].Elapsed)
	assert.Contains(t, p.Tests["TestB"].Output, "wrong")

	var failed []string
	for _, f := range p.Failed() {
		failed = append(failed, f.Name)
	}
	assert.Equal(t, []string{"TestB", "TestHung"}, failed, "a test that never ended counts as failed")
	assert.Equal(t, "not json at all\n", rep.Other)
	assert.Contains(t, rep.AllText(), "wrong")
}

func TestBuildEventsGoToThePackage(t *testing.T) {
	rep, err := Read(strings.NewReader(`{"ImportPath":"m/p [m/p.test]","Action":"build-output","Output":"./p.go:3:1: syntax error\n"}
{"ImportPath":"m/p [m/p.test]","Action":"build-fail"}
`))
	require.NoError(t, err)
	p := rep.Packages["m/p"]
	require.NotNil(t, p)
	assert.True(t, p.BuildFailed)
	assert.Contains(t, p.BuildOutput, "syntax error")
}
