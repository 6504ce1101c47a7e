//go:build race

package streams

// bigSize is the size of the generated logs of the memory tests. Under the
// race detector every byte the scanner copies costs several times more, so
// the logs are 32 MiB there, still twice the 16 MiB bound: a copy of the
// whole log does not fit under it.
const bigSize = 32 << 20
