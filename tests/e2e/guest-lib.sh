# Sourced by the guest scripts (guest-test.sh, sriov-guest.sh) in the QEMU guest (busybox sh):
# each check as "E2E: PASS name" or "E2E: FAIL name" with "E2E: # detail" lines.
pass() { echo "E2E: PASS $1"; }
fail() { echo "E2E: FAIL $1"; shift; for l in "$@"; do echo "E2E: # $l"; done; }
check() { # name command...
	name=$1; shift
	if out=$("$@" 2>&1); then pass "$name"; else fail "$name" "$*" "$out"; fi
}
eq() { # name want got
	if [ "$2" = "$3" ]; then pass "$1"; else fail "$1" "want: $2" "got:  $3"; fi
}
