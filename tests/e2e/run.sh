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
W=$(mktemp -d -t mdevkit-e2e.XXXXXX) # in $TMPDIR (tests/run: a tmpfs), else /tmp
trap 'rm -rf "$W"' EXIT
fail() { echo "FAIL $1"; shift; for l in "$@"; do printf '# %s\n' "$l"; done; exit 1; }
. "$here/common.sh"

# --- 1. the kernel of the day and its headers
e2e_kernel_version e2e
step e2e-download e2e_download
unpack() {
	e2e_unpack_image drivers/vfio || return 1
	for d in "$debs"/linux-headers-*.deb "$debs"/linux-kbuild-*.deb; do dpkg-deb -x "$d" root || return 1; done
}
step e2e-unpack unpack

# --- 2. our module, against the unpacked headers (not the host's)
build_module() {
	local H=$W/root/usr/src/linux-headers-$KVER
	sed -i "s|^include /usr/src/|include $W/root/usr/src/|" "$H/Makefile"
	mkdir -p "$W/mod" && cp "$here/module/gvt_sim.c" "$here/module/Kbuild" "$W/mod/" &&
		make -C "$H" M="$W/mod" modules && [ -f "$W/mod/gvt_sim.ko" ]
}
step e2e-module-builds build_module

# --- 3. the initramfs
make_initramfs() {
	local I=$W/initramfs M=lib/modules/$KVER
	mkdir -p "$I/bin" "$I/proc" "$I/sys" "$I/dev" "$I/tmp" "$I/usr/sbin" "$I/deb" "$I/$M/extra" "$I/lib64"
	cp /bin/busybox "$I/bin/" || return 1
	cp "$here/init" "$here/guest-test.sh" "$here/guest-lib.sh" "$here/seed-types.txt" "$here/walk.txt" "$I/" && chmod +x "$I/init"
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
step e2e-initramfs make_initramfs

# --- 4. boot it
e2e_boot pc "" -device edu,addr=02.0
e2e_report e2e

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
	e2e_on_sim gvtg-6.1 class/mdev_bus "$W/sim.walk.raw" "$build/tests/e2e/sysfs-walk" "$W/simroot" "$here/walk.txt"
	sed -f "$here/walk-allow.sed" "$W/sim.walk.raw" >"$W/sim.walk" 2>/dev/null
	e2e_same e2e-walk-sim-matches-kernel "$W/kernel.walk" "$W/sim.walk" \
		"kernel (-) against mdev-sim --profile gvtg-6.1 (+):" 80
	e2e_same e2e-walk-recording-current "$here/walk.kernel.txt" "$W/kernel.walk" \
		"tests/e2e/walk.kernel.txt (-) against this kernel (+); MDEVKIT_E2E_RECORD=1 updates it:" 40
fi
exit 0
