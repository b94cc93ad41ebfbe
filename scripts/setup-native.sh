#!/usr/bin/env bash
# TorchSharp 0.107's native library needs GLIBCXX_3.4.32 (GCC 13+ libstdc++). Debian 12 ships GCC 12,
# so on Debian 12 (and only when the symbol is missing) we take libstdc++6 from Debian 13 with a low
# apt pin so nothing else is upgraded from there. Everywhere else this does nothing.
set -euo pipefail

lib=/lib/x86_64-linux-gnu/libstdc++.so.6
[[ -e $lib ]] || lib=$(ldconfig -p 2>/dev/null | awk '/libstdc\+\+\.so\.6 /{print $NF; exit}')
if [[ -n ${lib:-} && -e $lib ]] && grep -aq GLIBCXX_3.4.32 "$lib"; then
  exit 0
fi

. /etc/os-release
if [[ ${ID:-} != debian || ${VERSION_ID:-} != 12 ]]; then
  echo "setup-native: libstdc++ lacks GLIBCXX_3.4.32 on ${PRETTY_NAME:-this system}; install GCC 13+ libstdc++6 for TorchSharp" >&2
  exit 0
fi
if [[ $(id -u) -ne 0 ]]; then
  echo "setup-native: root is needed to install libstdc++6 from Debian 13 (TorchSharp needs GLIBCXX_3.4.32)" >&2
  exit 1
fi

echo "setup-native: installing libstdc++6 from Debian 13 (trixie) with a low pin, for TorchSharp" >&2
echo 'deb http://deb.debian.org/debian trixie main' > /etc/apt/sources.list.d/trixie.list
cat > /etc/apt/preferences.d/trixie-pin <<'PIN'
Package: *
Pin: release n=trixie
Pin-Priority: 100
PIN
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq -t trixie libstdc++6 >/dev/null
grep -aq GLIBCXX_3.4.32 /lib/x86_64-linux-gnu/libstdc++.so.6
echo "setup-native: libstdc++6 now provides GLIBCXX_3.4.32" >&2
