#!/usr/bin/env bash
# Installs the Debian packages the build and tests need, if any is missing. Run by native.proj
# before CMake; safe to run by hand. Needs root or sudo (and Debian's package mirror) only
# when something is missing.
#   libmbedtls-dev                  mbedTLS for the host build (ESP-IDF ships its own on the device)
#   libssl-dev                      OpenSSL: pre-encrypted images' AES-GCM, RSA, ECDH in the host build
#   libgtest-dev                    GoogleTest for the C tests
#   gcc-riscv64-unknown-elf         the RISC-V compiler for the ESP32-C3 compile check
#   picolibc-riscv64-unknown-elf    C library headers for that compiler
#   python3                         nf-interpreter/apply.sh's edits (its CTest runs it)
#   postgresql                      the fleet server's tests run on PostgreSQL too (a throw-away cluster per run)
#   chromium                        the fleet dashboard's test reads it through headless Chromium
set -euo pipefail

packages=(libmbedtls-dev libssl-dev libgtest-dev gcc-riscv64-unknown-elf picolibc-riscv64-unknown-elf python3 postgresql chromium)
missing=()
for package in "${packages[@]}"; do
    if ! dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed"; then
        missing+=("$package")
    fi
done
if [ ${#missing[@]} -eq 0 ]; then
    exit 0
fi

echo "nf-ota: installing ${missing[*]}"
sudo=""
if [ "$(id -u)" -ne 0 ]; then
    if ! command -v sudo >/dev/null; then
        echo "nf-ota: error: missing packages ${missing[*]} and no root or sudo to install them; run: apt-get install ${missing[*]}" >&2
        exit 1
    fi
    sudo="sudo"
fi
export DEBIAN_FRONTEND=noninteractive
$sudo apt-get update -qq
$sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
echo "nf-ota: installed ${missing[*]}"
