/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Upstream's log lines on stderr, configured by MDEVCTL_LOG and MDEVCTL_LOG_STYLE (C-13). */
#ifndef MDEVCTL_LOG_H
#define MDEVCTL_LOG_H

#include <mdev/mdev.h>

/* Read the environment; returns the most verbose level any directive enables. */
enum mdev_log_level log_setup(void);
/* An mdev_log_fn: prints "[<time> <LEVEL> <module>] <msg>" if the filter allows it. */
void log_line(void *userdata, enum mdev_log_level level, const char *module, const char *msg);

#endif
