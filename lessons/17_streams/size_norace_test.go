//go:build !race

package streams

// bigSize is the size of the generated logs of the memory tests: 256 MiB,
// made as they are read, sixteen times the 16 MiB bound.
const bigSize = 256 << 20
