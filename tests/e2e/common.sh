# Shared by the real-kernel tests (run.sh: the mdev walkthrough; sriov-run.sh: the generic SR-IOV
# path): the kernel of the day, its download and unpacking, copying a binary with its libraries
# into the initramfs, and the QEMU boot. Sourced; expects W (a private scratch directory), fail().
# shellcheck shell=bash

cache=${MDEVKIT_E2E_CACHE:-/var/cache/mdevkit-e2e}

step() { # name command... (a setup step: its failure ends the run with its log)
	local name=$1
	shift
	if "$@" >"$W/step.log" 2>&1; then echo "PASS $name"; else fail "$name" "$(tail -n 30 "$W/step.log")"; fi
}

# KVER, ABI, MM of Debian's current linux-image-amd64; debs: where its packages are cached
e2e_kernel_version() { # prefix of the check names
	KVER=$(apt-cache depends linux-image-amd64 2>/dev/null | sed -n 's/.*Depends: linux-image-//p' | head -n 1)
	[ -n "$KVER" ] || { apt-get update -q >/dev/null 2>&1; KVER=$(apt-cache depends linux-image-amd64 | sed -n 's/.*Depends: linux-image-//p' | head -n 1); }
	[ -n "$KVER" ] || fail "$1-kernel-version" "apt-cache knows no linux-image-amd64"
	ABI=${KVER%-amd64}
	MM=$(echo "$ABI" | cut -d. -f1,2)
	debs=$cache/$KVER
	echo "# kernel $KVER"
}

e2e_download() {
	mkdir -p "$debs" && cd "$debs" || return 1
	ls linux-image-"$KVER"_*.deb linux-headers-"$KVER"_*.deb linux-headers-"$ABI"-common_*.deb \
		linux-kbuild-"$MM"_*.deb >/dev/null 2>&1 && return 0
	apt-get download "linux-image-$KVER" "linux-headers-$KVER" "linux-headers-$ABI-common" \
		"linux-kbuild-$MM" || { apt-get update -q && apt-get download "linux-image-$KVER" \
		"linux-headers-$KVER" "linux-headers-$ABI-common" "linux-kbuild-$MM"; }
}

# the kernel image and the given paths under lib/modules/$KVER/kernel (only those: the whole
# image unpacks to ~500 MB)
e2e_unpack_image() { # path-under-kernel/...
	local M=./lib/modules/$KVER p paths=()
	for p in "$@"; do paths+=("$M/kernel/$p"); done
	mkdir -p "$W/root" && cd "$W" || return 1
	dpkg-deb --fsys-tarfile "$debs"/linux-image-"$KVER"_*.deb | tar -x -C root ./boot/vmlinuz-"$KVER" \
		"${paths[@]}" "$M/modules.builtin" "$M/modules.builtin.modinfo" "$M/modules.order"
}

copy_with_libs() { # binary destination-in-initramfs
	local I=$W/initramfs
	mkdir -p "$I$(dirname "$2")" && cp -L "$1" "$I$2" || return 1
	# libraries go where the guest's loader looks by default (our build's libmdev has a
	# build-tree rpath); the loader keeps its own path
	mkdir -p "$I/lib/x86_64-linux-gnu"
	ldd "$1" | awk '/=>/ { print $3 } /^[[:space:]]*\// { print $1 }' | while read -r lib; do
		case $lib in
		*/ld-linux*) [ -e "$I$lib" ] || cp -L --parents "$lib" "$I" || exit 1 ;;
		*) cp -L "$lib" "$I/lib/x86_64-linux-gnu/" || exit 1 ;;
		esac
	done
}

# Boot $W/root's kernel with $W/initrd.gz and the given QEMU device options; the console (CRs
# stripped) goes to $W/console.log, QEMU's exit status to qemu_rc (33: the guest's init wrote
# 0x10 to isa-debug-exit, i.e. it finished).
e2e_boot() { # machine kernel-args qemu-options...
	local machine=$1 args=$2
	shift 2
	timeout 300 qemu-system-x86_64 -M "$machine" -accel tcg -smp 1 -m 256 -nodefaults -nographic \
		-serial stdio -no-reboot "$@" -device isa-debug-exit,iobase=0xf4,iosize=0x04 \
		-kernel "$W/root/boot/vmlinuz-$KVER" -initrd "$W/initrd.gz" \
		-append "console=ttyS0 panic=-1 quiet $args" </dev/null 2>&1 | tr -d '\r' >"$W/console.log"
	qemu_rc=${PIPESTATUS[0]}
}

# The guest's "E2E: PASS|FAIL name" lines as PASS|FAIL <prefix>-name, then whether the kernel
# stayed clean and the guest finished (with the console when not).
e2e_report() { # prefix
	local p=$1 ok=1
	sed -n "s/.*E2E: \(PASS\|FAIL\) \(.*\)/\1 $p-\2/p; s/.*E2E: # \(.*\)/# \1/p" "$W/console.log"
	[ "$qemu_rc" = 33 ] && grep -q 'E2E: done' "$W/console.log" || ok=0
	if grep -qE 'Oops|BUG:|Kernel panic|Call Trace|WARNING: CPU' "$W/console.log"; then
		echo "FAIL $p-kernel-clean"
		ok=0
	else
		echo "PASS $p-kernel-clean"
	fi
	if [ $ok = 1 ]; then
		echo "PASS $p-guest-finished"
	else
		echo "FAIL $p-guest-finished"
		echo "# qemu exit $qemu_rc; the guest console:"
		sed 's/^/# /' "$W/console.log" | tail -n 80
	fi
	grep -q 'E2E: FAIL' "$W/console.log" && { echo "# the guest console:"; sed 's/^/# /' "$W/console.log" | tail -n 60; }
	return 0
}

# PASS check-name when the two files are equal; else FAIL with the header and the diff
e2e_same() { # check-name file-a file-b header max-lines
	if diff -u "$2" "$3" >"$W/same.diff"; then
		echo "PASS $1"
	else
		echo "FAIL $1"
		echo "# $4"
		sed 's/^/# /' "$W/same.diff" | head -n "$5"
	fi
}

# Run a command (stdout and stderr to a file) while mdev-sim is mounted on $W/simroot/sys
e2e_on_sim() { # profile dir-under-sys-to-wait-for output-file command...
	local profile=$1 dir=$2 out=$3
	shift 3
	mkdir -p "$W/simroot/sys"
	"$build/sim/mdev-sim" --profile "$profile" "$W/simroot/sys" || return 1
	for _ in $(seq 50); do [ -d "$W/simroot/sys/$dir" ] && break; sleep 0.1; done
	"$@" >"$out" 2>&1
	fusermount3 -u "$W/simroot/sys"
}
