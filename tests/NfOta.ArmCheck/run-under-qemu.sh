#!/usr/bin/env bash
# Runs the ARM AES path of the flash ciphers on an x64 Debian machine: publishes NfOta.ArmCheck for
# linux-arm64 (self-contained) and runs it under qemu-user against espsecure's vectors.
# Needs root for apt (qemu-user-static and the arm64 C/C++ runtime and OpenSSL that .NET loads).
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
if ! command -v qemu-aarch64-static >/dev/null || ! dpkg -s libssl3:arm64 libstdc++6:arm64 >/dev/null 2>&1; then
  dpkg --add-architecture arm64
  apt-get update -q
  apt-get install -y -q qemu-user-static libc6:arm64 libstdc++6:arm64 libssl3:arm64
fi
out="$root/artifacts/arm-check"
dotnet publish "$root/tests/NfOta.ArmCheck" -c Release -r linux-arm64 --self-contained -o "$out" -v quiet
qemu-aarch64-static "$out/NfOta.ArmCheck" "$root/tests/vectors/flash-encryption" "ARM AES"
