#!/bin/sh
# A callout for some other kind of device: exit 2 means "not mine".
exit 2
