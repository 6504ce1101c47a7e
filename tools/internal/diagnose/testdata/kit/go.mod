// The kit fixtures: small lessons that fail through the real test kit
// (lessons/internal/katatest), so that the recorded streams hold the kit's
// own markers. The module path starts with the course's lessons/ path, which
// lets these packages import the kit's internal package.
module github.com/gokatas/concurrency/lessons/kitfixtures

go 1.26.0

require (
	github.com/gokatas/concurrency v0.0.0
	github.com/stretchr/testify v1.12.1
)

require (
	go.uber.org/goleak v1.3.0 // indirect
	go.yaml.in/yaml/v3 v3.0.5 // indirect
)

replace github.com/gokatas/concurrency => ../../../../..
