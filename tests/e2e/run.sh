#!/usr/bin/env bash
# The seed walkthrough on a real kernel's vfio-mdev bus (issue 9): builds tests/e2e/module
# against the headers of Debian's current linux-image-amd64, boots that kernel under QEMU (TCG,
# no KVM needed) with QEMU's edu device at 0000:00:02.0 and an initramfs holding busybox, the
# vfio/mdev modules, our module, our mdevctl and Debian's 1.2.0, and turns the guest's
# "E2E: PASS|FAIL" lines into the test protocol's.
#
# run.sh BUILD_DIR    (downloads are cached in $MDEVKIT_E2E_CACHE, default /var/cache/mdevkit-e2e;
#                     MDEVKIT_E2E_RECORD=1 records the kernel's walk in tests/e2e/walk.kernel.txt)
set -u
build=$(cd "${1:?build dir}" && pwd)
here=$(cd "$(dirname "$0")" && pwd)
cache=${MDEVKIT_E2E_CACHE:-/var/cache/mdevkit-e2e}
W=$(mktemp -d -t mdevkit-e2e.XXXXXX) # in $TMPDIR (tests/run: a tmpfs), else /tmp
trap 'rm -rf "$W"' EXIT
fail() { echo "FAIL $1"; shift; for l in "$@"; do printf '# %s\n' "$l"; done; exit 1; }
step() { # name command... (a setup step: its failure ends the run with its log)
	local name=$1
	shift
	if "$@" >"$W/step.log" 2>&1; then echo "PASS e2e-$name"; else fail "e2e-$name" "$(tail -n 30 "$W/step.log")"; fi
}

# --- 1. the kernel of the day and its headers
KVER=$(apt-cache depends linux-image-amd64 2>/dev/null | sed -n 's/.*Depends: linux-image-//p' | head -n 1)
[ -n "$KVER" ] || { apt-get update -q >/dev/null 2>&1; KVER=$(apt-cache depends linux-image-amd64 | sed -n 's/.*Depends: linux-image-//p' | head -n 1); }
[ -n "$KVER" ] || fail e2e-kernel-version "apt-cache knows no linux-image-amd64"
ABI=${KVER%-amd64}
MM=$(echo "$ABI" | cut -d. -f1,2)
echo "# kernel $KVER"
debs=$cache/$KVER
download() {
	mkdir -p "$debs" && cd "$debs" || return 1
	ls linux-image-"$KVER"_*.deb linux-headers-"$KVER"_*.deb linux-headers-"$ABI"-common_*.deb \
		linux-kbuild-"$MM"_*.deb >/dev/null 2>&1 && return 0
	apt-get download "linux-image-$KVER" "linux-headers-$KVER" "linux-headers-$ABI-common" \
		"linux-kbuild-$MM" || { apt-get update -q && apt-get download "linux-image-$KVER" \
		"linux-headers-$KVER" "linux-headers-$ABI-common" "linux-kbuild-$MM"; }
}
step download download
unpack() {
	mkdir -p "$W/root" && cd "$W" || return 1
	for d in "$debs"/linux-headers-*.deb "$debs"/linux-kbuild-*.deb; do dpkg-deb -x "$d" root || return 1; done
	dpkg-deb --fsys-tarfile "$debs"/linux-image-"$KVER"_*.deb | tar -x -C root ./boot/vmlinuz-"$KVER" \
		./lib/modules/"$KVER"/kernel/drivers/vfio ./lib/modules/"$KVER"/modules.builtin \
		./lib/modules/"$KVER"/modules.builtin.modinfo ./lib/modules/"$KVER"/modules.order
}
step unpack unpack

# --- 2. our module, against the unpacked headers (not the host's)
build_module() {
	local H=$W/root/usr/src/linux-headers-$KVER
	sed -i "s|^include /usr/src/|include $W/root/usr/src/|" "$H/Makefile"
	mkdir -p "$W/mod" && cp "$here/module/gvt_sim.c" "$here/module/Kbuild" "$W/mod/" &&
		make -C "$H" M="$W/mod" modules && [ -f "$W/mod/gvt_sim.ko" ]
}
step module-builds build_module

# --- 3. the initramfs
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
make_initramfs() {
	local I=$W/initramfs M=lib/modules/$KVER
	mkdir -p "$I/bin" "$I/proc" "$I/sys" "$I/dev" "$I/tmp" "$I/usr/sbin" "$I/deb" "$I/$M/extra" "$I/lib64"
	cp /bin/busybox "$I/bin/" || return 1
	cp "$here/init" "$here/guest-test.sh" "$here/seed-types.txt" "$here/walk.txt" "$I/" && chmod +x "$I/init"
	copy_with_libs "$build/tests/e2e/sysfs-walk" /sysfs-walk || return 1
	(cd "$W/root" && cp --parents "$M/kernel/drivers/vfio/vfio.ko" "$M/kernel/drivers/vfio/vfio_iommu_type1.ko" \
		"$M/kernel/drivers/vfio/mdev/mdev.ko" "$M/modules.builtin" "$M/modules.builtin.modinfo" \
		"$M/modules.order" "$I/") || return 1
	cp "$W/mod/gvt_sim.ko" "$I/$M/extra/"
	depmod -b "$I" "$KVER" || return 1
	copy_with_libs "$build/src/mdevctl/mdevctl" /usr/sbin/mdevctl || return 1
	ln -s mdevctl "$I/usr/sbin/lsmdev"
	copy_with_libs /usr/bin/mdevctl /deb/mdevctl || return 1
	(cd "$I" && find . | cpio -o -H newc 2>/dev/null | gzip -1) >"$W/initrd.gz"
}
step initramfs make_initramfs

# --- 4. boot it
timeout 300 qemu-system-x86_64 -M pc -accel tcg -smp 1 -m 256 -nodefaults -nographic \
	-serial stdio -no-reboot -device edu,addr=02.0 -device isa-debug-exit,iobase=0xf4,iosize=0x04 \
	-kernel "$W/root/boot/vmlinuz-$KVER" -initrd "$W/initrd.gz" \
	-append "console=ttyS0 panic=-1 quiet" </dev/null 2>&1 | tr -d '\r' >"$W/console.log"
rc=${PIPESTATUS[0]}
sed -n 's/.*E2E: \(PASS\|FAIL\) \(.*\)/\1 e2e-\2/p; s/.*E2E: # \(.*\)/# \1/p' "$W/console.log"
ok=1
[ "$rc" = 33 ] && grep -q 'E2E: done' "$W/console.log" || ok=0
if grep -qE 'Oops|BUG:|Kernel panic|Call Trace|WARNING: CPU' "$W/console.log"; then
	echo "FAIL e2e-kernel-clean"
	ok=0
else
	echo "PASS e2e-kernel-clean"
fi
if [ $ok = 1 ]; then
	echo "PASS e2e-guest-finished"
else
	echo "FAIL e2e-guest-finished"
	echo "# qemu exit $rc; the guest console:"
	sed 's/^/# /' "$W/console.log" | tail -n 80
fi
grep -q 'E2E: FAIL' "$W/console.log" && { echo "# the guest console:"; sed 's/^/# /' "$W/console.log" | tail -n 60; }

# --- 5. the differential test (issue 23): the guest's walk of the kernel's mdev bus against the
# same walk of mdev-sim with the 6.1 profile, both through the allow-list; and against the
# recording that the sim suite holds mdev-sim to without a kernel
sed -n 's/.*E2E: W //p' "$W/console.log" | sed -f "$here/walk-allow.sed" >"$W/kernel.walk"
# MDEVKIT_E2E_RECORD=1 writes this kernel's walk as the new recording
[ "${MDEVKIT_E2E_RECORD:-0}" = 1 ] && [ -s "$W/kernel.walk" ] && cp "$W/kernel.walk" "$here/walk.kernel.txt"
if [ ! -s "$W/kernel.walk" ]; then
	echo "FAIL e2e-walk-sim-matches-kernel"
	echo "# the guest printed no walk"
else
	mkdir -p "$W/simroot/sys"
	if "$build/sim/mdev-sim" --profile gvtg-6.1 "$W/simroot/sys"; then
		for _ in $(seq 50); do [ -d "$W/simroot/sys/class/mdev_bus" ] && break; sleep 0.1; done
		"$build/tests/e2e/sysfs-walk" "$W/simroot" "$here/walk.txt" 2>&1 | sed -f "$here/walk-allow.sed" >"$W/sim.walk"
		fusermount3 -u "$W/simroot/sys"
	fi
	if diff -u "$W/kernel.walk" "$W/sim.walk" >"$W/walk.diff"; then
		echo "PASS e2e-walk-sim-matches-kernel"
	else
		echo "FAIL e2e-walk-sim-matches-kernel"
		echo "# kernel (-) against mdev-sim --profile gvtg-6.1 (+):"
		sed 's/^/# /' "$W/walk.diff" | head -n 80
	fi
	if diff -u "$here/walk.kernel.txt" "$W/kernel.walk" >"$W/rec.diff"; then
		echo "PASS e2e-walk-recording-current"
	else
		echo "FAIL e2e-walk-recording-current"
		echo "# tests/e2e/walk.kernel.txt (-) against this kernel (+); MDEVKIT_E2E_RECORD=1 updates it:"
		sed 's/^/# /' "$W/rec.diff" | head -n 40
	fi
fi
exit 0
