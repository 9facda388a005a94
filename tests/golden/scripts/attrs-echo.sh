#!/bin/sh
# "[{}]" followed by a newline, as echo writes it: upstream treats it as an error (C-87).
case "$*" in *"-a capabilities"*) exit 2 ;; esac
case "$*" in *"-e get -a attributes"*) echo '[{}]' ;; esac
exit 0
