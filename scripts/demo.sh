#!/usr/bin/env bash
# README command one: the seed's walkthrough (shared/seed) on a simulated GVT-g host. Installs
# what is missing, builds, mounts mdev-sim with the seed's profile (an Intel GPU at
# 0000:00:02.0 with a 1024 MiB aperture), runs each step with our mdevctl and shows it, then
# unmounts and removes everything, also when a step fails or the run is interrupted.
set -eu
cd "$(dirname "$0")/.."
. scripts/deps.sh
mdevkit_need "${MDEVKIT_BUILD_DEPS[@]}"
mdevkit_build build
src=$(pwd)
work=$(mktemp -d /tmp/mdevkit-demo.XXXXXX)
root=$work/root
cleanup() {
	fusermount3 -u "$root/sys" 2>/dev/null || umount -l "$root/sys" 2>/dev/null || true
	rm -rf "$work"
}
trap cleanup EXIT
trap 'exit 130' INT TERM
mkdir -p "$root/sys" "$root/etc/mdevctl.d" "$root/usr/lib/mdevctl/scripts.d/callouts" \
	"$root/usr/lib/mdevctl/scripts.d/notifiers"
"$src/build/sim/mdev-sim" --profile seed-gvtg "$root/sys"
for _ in $(seq 50); do [ -e "$root/sys/class/mdev_bus/0000:00:02.0" ] && break; sleep 0.1; done
export MDEVCTL_ENV_ROOT=$root PATH="$src/build/src/mdevctl:$src/build/src/vgpuctl:$PATH"

bold='' plain=''
if [ -t 1 ]; then bold=$'\033[1m' plain=$'\033[0m'; fi
step() {
	printf '\n%s$ %s%s\n' "$bold" "$*" "$plain"
	"$@"
}
echo "A simulated host: Intel GPU 0000:00:02.0 with GVT-g, 1024 MiB aperture (mdev-sim, root $root)"
step mdevctl types
printf '\n%s$ uuidgen%s\n' "$bold" "$plain"
uuid=$(uuidgen)
echo "$uuid"
step mdevctl start -u "$uuid" -p 0000:00:02.0 --type i915-GVTg_V5_4
step mdevctl define -u "$uuid"
step mdevctl modify -u "$uuid" --auto
step mdevctl list -d
echo
echo "One i915-GVTg_V5_4 vGPU now takes its share of the GPU: fewer instances are left."
step mdevctl types
echo
echo "What is left, per type, and which resource limits it:"
step vgpuctl plan
if vgpuctl libvirt --help >/dev/null 2>&1; then
	echo
	echo "The vGPU for a libvirt guest (with the emulated video set to none):"
	step vgpuctl libvirt hostdev "$uuid"
fi
step mdevctl stop -u "$uuid"
step mdevctl undefine -u "$uuid"
echo
echo "Done: the simulator is unmounted and its files removed."
