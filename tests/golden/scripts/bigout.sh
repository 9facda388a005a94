#!/bin/sh
# Writes 8 MiB to stdout for "get attributes".
case "$*" in *"-a capabilities"*) exit 2 ;; esac
case "$*" in *"-e get -a attributes"*) head -c 8388608 /dev/zero | tr '\0' 'x'; exit 0 ;; esac
exit 0
