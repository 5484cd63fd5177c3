#!/bin/sh
# Starts the display, then the app as the container's main process: when the app ends (or is killed), the session ends.
set -eu
HOME="${HOME:-/home/app}"
export HOME
cd "$HOME" 2>/dev/null || cd /tmp
if [ -n "${VNC_PASSWORD:-}" ]; then
  printf '%s\n' "$VNC_PASSWORD" | vncpasswd -f > /tmp/vncpasswd
  security="-SecurityTypes VncAuth -PasswordFile /tmp/vncpasswd"
else
  security="-SecurityTypes None"
fi
# shellcheck disable=SC2086
Xvnc :1 -rfbport 5900 -geometry "${SCREEN:-1024x768}" -depth 24 -AlwaysShared -nolisten tcp $security &
export DISPLAY=:1
for _ in $(seq 1 50); do [ -e /tmp/.X11-unix/X1 ] && break; sleep 0.1; done
matchbox-window-manager -use_titlebar no &
exec sh -c "${APP_COMMAND:-exec xterm -geometry 160x48+0+0}"
