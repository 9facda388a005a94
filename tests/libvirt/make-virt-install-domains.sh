#!/usr/bin/env bash
# Regenerates tests/libvirt/vi-*.xml: the domains Debian 12's virt-install (package virtinst,
# not a test dependency: the files are committed) prints for the shapes issue 18 names. Needs
# root: it runs a private libvirtd in a private mount namespace (tmpfs over libvirt's state
# directories, as tests/suites/libvirtd does) because virt-install asks libvirt for the host's
# capabilities. The host has no KVM, so the domains say type="qemu"; nothing else depends on it.
# Usage: tests/libvirt/make-virt-install-domains.sh [OUTDIR]   (default: tests/libvirt)
set -eu
out=$(cd "${1:-$(dirname "$0")}" && pwd)
W=$(mktemp -d /tmp/mdevkit-virt-install.XXXXXX)
trap 'rm -rf "$W"' EXIT
unshare -m --propagation private bash -s "$W" "$out" <<'INNER'
set -eu
W=$1 out=$2
cp /etc/passwd "$W/passwd"; cp /etc/group "$W/group"
grep -q '^libvirt-qemu:' "$W/passwd" || echo 'libvirt-qemu:x:64055:64055::/var/lib/libvirt:/usr/sbin/nologin' >>"$W/passwd"
for g in libvirt-qemu:64055 kvm:64056 libvirt:64057; do
	grep -q "^${g%%:*}:" "$W/group" || echo "${g%%:*}:x:${g##*:}:" >>"$W/group"
done
mount --bind "$W/passwd" /etc/passwd && mount --bind "$W/group" /etc/group
for d in /run/libvirt /var/lib/libvirt /var/cache/libvirt /var/log/libvirt; do mkdir -p "$d" && mount -t tmpfs tmpfs "$d"; done
libvirtd >"$W/libvirtd.log" 2>&1 &
pid=$!
for _ in $(seq 100); do [ -S /run/libvirt/libvirt-sock ] && break; sleep 0.1; done
gen() { # NAME virt-install options...
	local name=$1
	shift
	local cmd="virt-install --connect qemu:///system --print-xml --name vgpu-guest --memory 4096 --vcpus 2 --disk none --network none --os-variant debian11 --import $*"
	{
		# an XML comment may not hold "--": the options are named without their dashes
		echo "<!-- virt-install $(virt-install --version) print-xml, made by tests/libvirt/make-virt-install-domains.sh; shape: ${*//--/} -->"
		$cmd
	} >"$out/vi-$name.xml"
}
gen q35-spice --machine q35 --graphics spice
gen q35-spice-remote --machine q35 --graphics spice,listen=0.0.0.0
gen q35-vnc --machine q35 --graphics vnc
gen q35-none --machine q35 --graphics none
gen i440fx-spice --machine pc --graphics spice
gen uefi --machine q35 --graphics spice --boot uefi
kill $pid
wait $pid || true
INNER
