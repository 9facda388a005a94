#!/bin/sh
# A legacy callout whose pre event fails.
case "$*" in *"-a capabilities"*) exit 2 ;; esac
case "$*" in *"-e pre"*) echo "not now" >&2; exit 1 ;; esac
exit 0
