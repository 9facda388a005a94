#!/bin/sh
# Reports something that is not JSON for "get attributes".
case "$*" in *"-a capabilities"*) exit 2 ;; esac
case "$*" in *"-e get -a attributes"*) printf 'attributes: none' ;; esac
exit 0
