#!/usr/bin/env bash
# Builds the fuzz targets with clang's libFuzzer (+ASan+UBSan) into $1 (default /tmp/mdevkit-fuzz)
# and, with "run N [SECONDS]", runs each for N executions or SECONDS (default 600), whichever
# comes first, over a copy of its corpus, printing libFuzzer's statistics (the last lines of its
# report: executions, speed, coverage) and any crash report. New crash inputs go to
# tests/fuzz/corpus/<target>/ by hand, so the replay tests keep them forever.
set -eu
cd "$(dirname "$0")/../.."
out=${1:-/tmp/mdevkit-fuzz}
mkdir -p "$out"
flags="-g -O1 -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=undefined -D_GNU_SOURCE -std=c11 -Iinclude -Ilib $(pkg-config --cflags json-c)"
libs="$(pkg-config --libs json-c)"
for t in config attrs uuid args layout; do
	extra="lib/*.c"
	[ $t = args ] && extra="$extra src/mdevctl/cli.c -Isrc/mdevctl"
	# the layout reader is vgpuctl's, not the library's
	[ $t = layout ] && extra="src/vgpuctl/layout/layout_file.c src/vgpuctl/input.c -Isrc/vgpuctl -Isrc/vgpuctl/layout $(pkg-config --cflags --libs yaml-0.1)"
	# shellcheck disable=SC2086
	clang $flags -o "$out/fuzz_$t" tests/fuzz/fuzz_$t.c $extra $libs
done
if [ "${2:-}" = run ]; then
	for t in config attrs uuid args layout; do
		mkdir -p "$out/corpus-$t"
		cp tests/fuzz/corpus/$t/* "$out/corpus-$t/" 2>/dev/null || true
		# the args target's usage errors would drown libFuzzer's lines: -close_fd_mask=3 closes
		# the target's stdout and stderr and keeps libFuzzer's own (and the sanitizers') output
		mask=0
		[ $t = args ] && mask=3
		echo "== fuzz_$t"
		"$out/fuzz_$t" -runs="${3:-1000000}" -max_total_time="${4:-600}" -max_len=4096 \
			-close_fd_mask=$mask -print_final_stats=1 -artifact_prefix="$out/crash-$t-" \
			"$out/corpus-$t" 2>&1 | grep -E '^(stat::number_of_executed_units|stat::average_exec_per_sec|Done|==[0-9]+==ERROR|SUMMARY|artifact_prefix|Test unit written)|DONE' || true
	done
fi
