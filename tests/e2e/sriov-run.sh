#!/usr/bin/env bash
# The generic PCI SR-IOV path on a real kernel (issue 20): boots Debian's current
# linux-image-amd64 under QEMU (q35, TCG) with an emulated IOMMU (intel-iommu) and QEMU's NVMe
# controller behind a PCIe root port, with SR-IOV (sriov_max_vfs=2). The guest
# (sriov-guest.sh) runs our library's SR-IOV calls (sriov-probe) and the kernel's SR-IOV files
# by hand, vfio-pci included; the host diffs the probe's transcript with the same probe on
# mdev-sim with a profile shaped like the guest's PF (sriov-sim.conf) and with the recording
# tests/e2e/sriov.kernel.txt, which the sriov suite holds mdev-sim to without a kernel.
#
# sriov-run.sh BUILD_DIR  (downloads are cached as for run.sh; MDEVKIT_E2E_RECORD=1 records the
#                         kernel's transcript in tests/e2e/sriov.kernel.txt)
set -u
build=$(cd "${1:?build dir}" && pwd)
here=$(cd "$(dirname "$0")" && pwd)
W=$(mktemp -d -t mdevkit-e2e-sriov.XXXXXX) # in $TMPDIR (tests/run: a tmpfs), else /tmp
cleanup() {
	mountpoint -q "$W/simroot/sys" 2>/dev/null && fusermount3 -u "$W/simroot/sys"
	rm -rf "$W"
}
trap cleanup EXIT
fail() { echo "FAIL $1"; shift; for l in "$@"; do printf '# %s\n' "$l"; done; exit 1; }
. "$here/common.sh"

e2e_kernel_version e2e-sriov
step e2e-sriov-download e2e_download
# nvme and what it needs (t10-pi's CRCs), vfio-pci and what it needs
step e2e-sriov-unpack e2e_unpack_image drivers/vfio drivers/nvme/host/nvme.ko \
	drivers/nvme/host/nvme-core.ko block/t10-pi.ko lib/crc-t10dif.ko lib/crc64-rocksoft.ko \
	lib/crc64.ko crypto/crct10dif_common.ko crypto/crct10dif_generic.ko \
	crypto/crc64_rocksoft_generic.ko virt/lib/irqbypass.ko

make_initramfs() {
	local I=$W/initramfs M=lib/modules/$KVER
	mkdir -p "$I/bin" "$I/proc" "$I/sys" "$I/dev" "$I/tmp" "$I/lib64"
	cp /bin/busybox "$I/bin/" || return 1
	cp "$here/init" "$here/guest-lib.sh" "$I/" && cp "$here/sriov-guest.sh" "$I/guest-test.sh" && chmod +x "$I/init" || return 1
	copy_with_libs "$build/tests/e2e/sriov-probe" /sriov-probe || return 1
	(cd "$W/root" && cp -r --parents "$M/kernel" "$M/modules.builtin" "$M/modules.builtin.modinfo" \
		"$M/modules.order" "$I/") || return 1
	rm -rf "$I/$M/kernel/drivers/vfio/mdev"
	depmod -b "$I" "$KVER" || return 1
	(cd "$I" && find . | cpio -o -H newc 2>/dev/null | gzip -1) >"$W/initrd.gz"
}
step e2e-sriov-initramfs make_initramfs

# the NVMe PF: SR-IOV needs an NVM subsystem; the flexible queue and interrupt resources are
# QEMU's minimum for 2 VFs (sriov_vq_flexible >= 2 per VF, sriov_vi_flexible >= 1 per VF, and
# the PF keeps max_ioqpairs - sriov_vq_flexible >= 2 queues and msix_qsize - sriov_vi_flexible
# >= 1 vectors). intel_iommu=on: Debian does not turn the emulated IOMMU on by default, and
# vfio-pci binds only devices in an IOMMU group.
e2e_boot q35 intel_iommu=on -device intel-iommu -device pcie-root-port,id=rp0,chassis=1,slot=1 \
	-device nvme-subsys,id=nss0,nqn=mdevkit-sriov \
	-device nvme,bus=rp0,serial=mdevkit-sriov,subsys=nss0,sriov_max_vfs=2,sriov_vq_flexible=4,sriov_vi_flexible=2,max_ioqpairs=6,msix_qsize=3
e2e_report e2e-sriov

# the library's transcript: the kernel's against mdev-sim's, and against the recording
sed -n 's/.*E2E: P //p' "$W/console.log" >"$W/kernel.probe"
[ "${MDEVKIT_E2E_RECORD:-0}" = 1 ] && [ -s "$W/kernel.probe" ] && cp "$W/kernel.probe" "$here/sriov.kernel.txt"
if [ ! -s "$W/kernel.probe" ]; then
	echo "FAIL e2e-sriov-sim-matches-kernel"
	echo "# the guest printed no transcript"
	exit 0
fi
e2e_on_sim "$here/sriov-sim.conf" bus/pci "$W/sim.probe" "$build/tests/e2e/sriov-probe" "$W/simroot" xe 2
e2e_same e2e-sriov-sim-matches-kernel "$W/kernel.probe" "$W/sim.probe" \
	"kernel (-) against mdev-sim --profile tests/e2e/sriov-sim.conf (+):" 80
e2e_same e2e-sriov-recording-current "$here/sriov.kernel.txt" "$W/kernel.probe" \
	"tests/e2e/sriov.kernel.txt (-) against this kernel (+); MDEVKIT_E2E_RECORD=1 updates it:" 40
exit 0
