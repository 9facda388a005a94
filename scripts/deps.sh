# Sourced by the README's commands: installs, with apt-get, the Debian 12 packages that are
# missing. Each package is named with the reason in README.md ("Dependencies").
# shellcheck shell=bash

# Packages every build needs.
MDEVKIT_BUILD_DEPS=(meson ninja-build pkg-config gcc libc6-dev libjson-c-dev libfuse3-dev fuse3
                    libxml2-dev libyaml-dev uuid-runtime scdoc)
# Packages only the tests need (reference tools, sanitizer runtime, validators).
MDEVKIT_TEST_DEPS=(mdevctl python3 linux-headers-amd64 libvirt-clients libvirt-daemon libvirt-daemon-driver-qemu qemu-system-x86 qemu-system-gui ovmf busybox-static build-essential kmod cpio debhelper dpkg-dev lintian fakeroot time clang libclang-rt-14-dev libxml2-utils valgrind util-linux file strace iproute2 man-db python3-yaml)

mdevkit_need() {
	local missing=() p
	for p in "$@"; do
		dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' ||
			missing+=("$p")
	done
	[ ${#missing[@]} -eq 0 ] && return 0
	echo "Installing: ${missing[*]}" >&2
	if [ "$(id -u)" -ne 0 ]; then
		echo "Error: packages missing (${missing[*]}) and not root to install them" >&2
		return 1
	fi
	export DEBIAN_FRONTEND=noninteractive
	if ! apt-get install -y -q "${missing[@]}" >/dev/null 2>&1; then
		apt-get update -q >/dev/null 2>&1 || true
		apt-get install -y -q "${missing[@]}" >/dev/null || return 1
	fi
}

# Configure (once) and build a tree: mdevkit_build DIR [meson options...]
mdevkit_build() {
	local dir=$1; shift
	if [ ! -f "$dir/build.ninja" ]; then
		meson setup "$dir" "$@" >"$dir.setup.log" 2>&1 || { cat "$dir.setup.log" >&2; return 1; }
	fi
	ninja -C "$dir" >"$dir.ninja.log" 2>&1 || { cat "$dir.ninja.log" >&2; return 1; }
}
