/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Names that Kubernetes accepts, for NFD labels and KubeVirt resource names (docs/fleet.md). */
#ifndef VGPUCTL_K8S_NAMES_H
#define VGPUCTL_K8S_NAMES_H

#include <stdbool.h>
#include <stddef.h>

/* The longest name part of a label key or an extended resource name, and a label value. */
#define K8S_NAME_MAX 63

/* A label value: empty, or at most 63 of [A-Za-z0-9._-], beginning and ending with a letter or
 * digit (Kubernetes' IsValidLabelValue, which NFD applies to every label). */
bool k8s_label_value_valid(const char *s);

/* Map s (a type name such as "NVIDIA L40S-4Q" or "i915-GVTg_V5_4") into buf as the tail of a
 * name part that may take room characters: every byte other than [A-Za-z0-9._-] becomes '_'
 * (a space too, as KubeVirt does), non-alphanumerics at the end are dropped. A result that is
 * empty or longer than room is cut to room - 9 characters (again without a non-alphanumeric
 * end) and followed by '-' and the 8 hex digits of k8s_name_hash(s); with hashed set, always.
 * Returns buf. room must be at least 9 and below bufsz. */
char *k8s_name_map(const char *s, size_t room, bool hashed, char *buf, size_t bufsz);

/* FNV-1a (32 bits) of s: the suffix that tells apart names the mapping made equal. */
unsigned k8s_name_hash(const char *s);

#endif
