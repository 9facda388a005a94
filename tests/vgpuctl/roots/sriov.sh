# Helpers for SR-IOV GPU fixtures (issue 20): a PF with sriov_totalvfs/sriov_numvfs, its
# virtfn<i> links and VFs with physfn, bound to a driver; NVIDIA's per-VF nvidia/ files; Xe's
# sriov_admin. Laid out as the kernel does (relative links). Sourced after host.sh.
# shellcheck shell=bash
# vf_addr PF I: the address of VF I (0-based) with first VF offset 4, stride 1 (the L40S's)
vf_addr() {
	local dom=${1%%:*} rest=${1#*:} bus devfn
	bus=${rest%%:*}
	devfn=$(( ${2} + ${3:-4} ))
	printf '%s:%s:%02x.%x' "$dom" "$bus" $(( devfn >> 3 )) $(( devfn & 7 ))
}
# sriov_pf PATH ADDR VENDOR DEVICE DRIVER TOTAL: a PF under sys/devices/PATH (PATH's last part = ADDR)
sriov_pf() {
	local d="$R/sys/devices/$1"
	mkdir -p "$d" "$R/sys/bus/pci/devices" "$R/sys/bus/pci/drivers/$5"
	ln -s "../../../devices/$1" "$R/sys/bus/pci/devices/$2"
	echo "0x$3" >"$d/vendor"
	echo "0x$4" >"$d/device"
	echo 0x030200 >"$d/class"
	echo "$6" >"$d/sriov_totalvfs"
	echo "$4" >"$d/sriov_vf_device" # the kernel writes it without 0x
	echo 0 >"$d/sriov_numvfs"
	ln -s "../../../../devices/$1" "$R/sys/bus/pci/drivers/$5/$2"
	ln -s "$(realpath --relative-to="$d" "$R/sys/bus/pci/drivers/$5")" "$d/driver"
}
# sriov_vfs PATH ADDR DRIVER N [OFFSET]: enable N VFs (siblings of the PF, bound to DRIVER or none;
# vendor and device ids as the PF's vendor and sriov_vf_device say)
sriov_vfs() {
	local d="$R/sys/devices/$1" parent
	parent=$(dirname "$1")
	echo "$4" >"$d/sriov_numvfs"
	for i in $(seq 0 $(( $4 - 1 ))); do
		local a v
		a=$(vf_addr "$2" "$i" "${5:-4}")
		v="$R/sys/devices/$parent/$a"
		mkdir -p "$v"
		cp "$d/vendor" "$v/vendor"
		echo "0x$(cat "$d/sriov_vf_device")" >"$v/device"
		ln -s "../$2" "$v/physfn"
		ln -s "../$a" "$d/virtfn$i"
		ln -s "../../../devices/$parent/$a" "$R/sys/bus/pci/devices/$a"
		if [ -n "$3" ]; then
			ln -s "$(realpath --relative-to="$v" "$R/sys/bus/pci/drivers/$3")" "$v/driver"
			ln -s "../../../../devices/$parent/$a" "$R/sys/bus/pci/drivers/$3/$a"
		fi
	done
}
L40S_PATH=pci0000:40/0000:40:01.1/0000:41:00.0
L40S=0000:41:00.0
# The L40S's types (48 GB): B, Q and A profiles; ids as the driver numbers them
L40S_TYPES='1152 : NVIDIA L40S-1B
1153 : NVIDIA L40S-2B
1155 : NVIDIA L40S-1Q
1156 : NVIDIA L40S-2Q
1158 : NVIDIA L40S-4Q
1160 : NVIDIA L40S-8Q
1162 : NVIDIA L40S-16Q
1163 : NVIDIA L40S-24Q
1164 : NVIDIA L40S-48Q
1165 : NVIDIA L40S-1A
1166 : NVIDIA L40S-2A
1168 : NVIDIA L40S-4A
1170 : NVIDIA L40S-8A'
# l40s_pf [VFS]: the PF bound to nvidia, VFS (default 32) VFs with empty nvidia/ files
l40s_pf() {
	sriov_pf $L40S_PATH $L40S 10de 26b9 nvidia 32
	if [ "${1:-32}" -gt 0 ]; then
		sriov_vfs $L40S_PATH $L40S nvidia "${1:-32}"
		for i in $(seq 0 $(( ${1:-32} - 1 ))); do
			local v="$R/sys/devices/pci0000:40/0000:40:01.1/$(vf_addr $L40S "$i")/nvidia"
			mkdir -p "$v"
			echo 0 >"$v/current_vgpu_type"
			printf 'ID    : vGPU Name\n%s\n' "$L40S_TYPES" >"$v/creatable_vgpu_types"
		done
	fi
}
# l40s_vf I ID: VF I holds type ID
l40s_vf() {
	echo "$2" >"$R/sys/devices/pci0000:40/0000:40:01.1/$(vf_addr $L40S "$1")/nvidia/current_vgpu_type"
}
# l40s_creatable I TEXT: what VF I lists
l40s_creatable() {
	printf '%s\n' "$2" >"$R/sys/devices/pci0000:40/0000:40:01.1/$(vf_addr $L40S "$1")/nvidia/creatable_vgpu_types"
}
XE_PATH=pci0000:00/0000:00:01.0/0000:03:00.0
XE=0000:03:00.0
# xe_pf [ADMIN] [VRAM_GB]: an Arc Pro B50-like PF (8086:e212) bound to xe, 12 VFs, sriov_admin
# unless ADMIN=no; with VRAM_GB as Linux 7.0 shows a discrete GPU: tile0/physical_vram_size_bytes
# (hex) and each VF's profile/vram_quota (0: unprovisioned)
xe_pf() {
	sriov_pf $XE_PATH $XE 8086 e212 xe 12
	xe_admin "$XE_PATH" 12 "${1:-yes}" "${2:-}"
}
# xe_admin PATH TOTAL ADMIN VRAM_GB: the sriov_admin tree of the xe PF at PATH
xe_admin() {
	local a="$R/sys/devices/$1/sriov_admin"
	if [ -n "$4" ]; then
		mkdir -p "$R/sys/devices/$1/tile0"
		printf '0x%x\n' $(( $4 << 30 )) >"$R/sys/devices/$1/tile0/physical_vram_size_bytes"
	fi
	[ "$3" = no ] && return 0
	mkdir -p "$a/.bulk_profile"
	for f in pf $(seq -f 'vf%g' 1 "$2"); do
		mkdir -p "$a/$f/profile"
		echo 0 >"$a/$f/profile/exec_quantum_ms"
		echo 0 >"$a/$f/profile/preempt_timeout_us"
		echo 'low [normal] high' >"$a/$f/profile/sched_priority"
		[ "$f" = pf ] && continue
		: >"$a/$f/stop"
		[ -z "$4" ] || echo 0 >"$a/$f/profile/vram_quota"
	done
	for f in exec_quantum_ms preempt_timeout_us sched_priority ${4:+vram_quota}; do : >"$a/.bulk_profile/$f"; done
}
# xe_vram_quota VF BYTES: what the kernel shows for VF's quota
xe_vram_quota() { echo "$2" >"$R/sys/devices/$XE_PATH/sriov_admin/vf$1/profile/vram_quota"; }
XE_IGPU_PATH=pci0000:00/0000:00:02.0
XE_IGPU=0000:00:02.0
# xe_igpu_pf: an integrated Xe GPU (8086:b080) bound to xe, 7 VFs, sriov_admin without vram_quota
xe_igpu_pf() {
	sriov_pf $XE_IGPU_PATH $XE_IGPU 8086 b080 xe 7
	xe_admin "$XE_IGPU_PATH" 7 yes ""
}
# xe_vfs N: N VFs enabled (at 0000:03:00.1...), unbound, with sriov_admin/vfN/device links
xe_vfs() {
	sriov_vfs $XE_PATH $XE "" "$1" 1
	for i in $(seq 1 "$1"); do
		[ -d "$R/sys/devices/$XE_PATH/sriov_admin/vf$i" ] &&
			ln -s "../../../$(vf_addr $XE $(( i - 1 )) 1)" "$R/sys/devices/$XE_PATH/sriov_admin/vf$i/device"
	done
	return 0
}
# vgpu_def GPU VF JSON: a definition in etc/vgpu.d
vgpu_def() {
	mkdir -p "$R/etc/vgpu.d/$1"
	printf '%s\n' "$3" >"$R/etc/vgpu.d/$1/vf$2"
}
# kernel VERSION: proc/sys/kernel/osrelease
kernel() { mkdir -p "$R/proc/sys/kernel"; echo "$1" >"$R/proc/sys/kernel/osrelease"; }
