/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Kubernetes' syntax for label names and values and extended resource names, which NFD checks
 * before it labels a node (pkg/apis/nfd/validate) and the kubelet before it accepts a device
 * plugin's resource. One mapping turns our type names into both, so a type reads the same in a
 * node label and in a KubeVirt resource name. */
#include <stdio.h>
#include <string.h>
#include "k8s_names.h"

static bool alnum(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}

static bool name_char(char c)
{
	return alnum(c) || c == '-' || c == '_' || c == '.';
}

bool k8s_label_value_valid(const char *s)
{
	size_t n = strlen(s);
	if (n == 0)
		return true;
	if (n > K8S_NAME_MAX || !alnum(s[0]) || !alnum(s[n - 1]))
		return false;
	for (size_t i = 0; i < n; i++)
		if (!name_char(s[i]))
			return false;
	return true;
}

unsigned k8s_name_hash(const char *s)
{
	unsigned h = 2166136261u;
	for (; *s; s++) {
		h ^= (unsigned char)*s;
		h *= 16777619u;
	}
	return h;
}

static void trim_end(char *buf)
{
	size_t n = strlen(buf);
	while (n > 0 && !alnum(buf[n - 1]))
		buf[--n] = '\0';
}

char *k8s_name_map(const char *s, size_t room, bool hashed, char *buf, size_t bufsz)
{
	size_t n = 0;
	for (const char *p = s; *p && n + 1 < bufsz; p++)
		buf[n++] = name_char(*p) ? *p : '_';
	buf[n] = '\0';
	trim_end(buf);
	n = strlen(buf);
	if (!hashed && n > 0 && n <= room && strlen(s) < bufsz)
		return buf;
	if (n > room - 9)
		buf[room - 9] = '\0';
	trim_end(buf);
	n = strlen(buf);
	snprintf(buf + n, bufsz - n, "%s%08x", n ? "-" : "", k8s_name_hash(s));
	return buf;
}
