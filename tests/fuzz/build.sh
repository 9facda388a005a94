#!/usr/bin/env bash
# Builds the fuzz targets with clang's libFuzzer (+ASan+UBSan) into $1 (default /tmp/mdevkit-fuzz)
# and, with "run N", runs each for N executions over a copy of its corpus. New crash inputs go
# to tests/fuzz/corpus/<target>/ by hand, so the replay tests keep them forever.
set -eu
cd "$(dirname "$0")/../.."
out=${1:-/tmp/mdevkit-fuzz}
mkdir -p "$out"
flags="-g -O1 -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=undefined -D_GNU_SOURCE -std=c11 -Iinclude -Ilib $(pkg-config --cflags json-c)"
libs="$(pkg-config --libs json-c)"
for t in config attrs uuid args; do
	extra=""
	[ $t = args ] && extra="src/mdevctl/cli.c -Isrc/mdevctl"
	clang $flags -o "$out/fuzz_$t" tests/fuzz/fuzz_$t.c $extra lib/*.c $libs
done
if [ "${2:-}" = run ]; then
	for t in config attrs uuid args; do
		mkdir -p "$out/corpus-$t"
		cp tests/fuzz/corpus/$t/* "$out/corpus-$t/" 2>/dev/null || true
		"$out/fuzz_$t" -runs="${3:-1000000}" -max_len=4096 -artifact_prefix="$out/crash-$t-" "$out/corpus-$t" 2>&1 | tail -n 3
	done
fi
