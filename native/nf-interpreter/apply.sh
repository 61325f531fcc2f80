#!/usr/bin/env bash
# Adds nf-ota to an nf-interpreter checkout (tested against nf-interpreter main a3e8139a, ESP-IDF v5.5.4).
#
#   native/nf-interpreter/apply.sh NF_INTERPRETER_DIR
#
# What it does, each step safe to repeat (a second run changes nothing and says so):
#   1. copies nf-ota's files into targets/ESP32/_nf-ota/ (nf_ota component, interop stubs, the build
#      hook nf_ota.cmake and its nf_ota_partitions.cmake, sdkconfig.nf-ota): that folder is nf-ota's own;
#   2. writes the OTA partition tables over targets/ESP32/_IDF/<series>/partitions_nanoclr_<N>mb.csv
#      (the tables nf-interpreter builds and packages for nanoff);
#   3. CMake/binutils.ESP32.cmake: includes the hook before "# create IDF static libraries", and calls the
#      hook's nf_ota_partition_tables() instead of nf_setup_partition_tables_generator(), whose
#      partitions_<N>mb.bin are for nanoff at 0x8000 (this build's bootloader reads its table at 0xE000);
#   4. targets/ESP32/_common/Device_BlockStorage.c: nanoCLR's code region is the running OTA slot
#      (esp_ota_get_running_partition) instead of the factory partition, which an OTA table lacks;
#      its deployment region is the deploy partition paired with that slot (nf_ota_deploy_partition:
#      deploy_N for ota_N, else the one shared deploy partition), with the 128-bit program width on
#      an encrypted partition so the debugger's deployment chunks are 16-byte aligned;
#   5. targets/ESP32/_common/Target_BlockStorage_ESP32FlashDriver.c: the flash driver maps that same
#      partition and writes through nf_ota_deploy_write, which pads a deployment's last chunk to
#      16 bytes on an encrypted partition (ESP-IDF's encrypted write takes whole 16-byte blocks).
# Edits are marked "nf-ota"; every anchor is checked before anything is written, so a checkout it
# does not recognise is left untouched. Line endings (CRLF in nf-interpreter checkouts) and a UTF-8
# BOM are kept. Undo with git: git checkout -- CMake targets/ESP32/_IDF targets/ESP32/_common; rm -r targets/ESP32/_nf-ota
set -euo pipefail

usage() {
    echo "usage: $0 NF_INTERPRETER_DIR" >&2
    echo "adds nf-ota (native component, NfOta.Interop, OTA partition tables, build hook) to an nf-interpreter checkout" >&2
}

if [ $# -ne 1 ] || [ "$1" = "-h" ] || [ "$1" = "--help" ]; then
    usage
    [ $# -eq 1 ] && exit 0 || exit 2
fi

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
native="$(cd "$here/.." && pwd)"
target="$1"

fail() {
    echo "nf-ota apply: error: $*" >&2
    exit 2
}

[ -d "$target" ] || fail "$target is not a folder"
target="$(cd "$target" && pwd)"
binutils="$target/CMake/binutils.ESP32.cmake"
blockstorage="$target/targets/ESP32/_common/Device_BlockStorage.c"
flashdriver="$target/targets/ESP32/_common/Target_BlockStorage_ESP32FlashDriver.c"
[ -f "$binutils" ] && [ -f "$blockstorage" ] && [ -f "$flashdriver" ] || fail "$target does not look like an nf-interpreter checkout (no CMake/binutils.ESP32.cmake, targets/ESP32/_common/Device_BlockStorage.c or Target_BlockStorage_ESP32FlashDriver.c)"
command -v python3 >/dev/null || fail "python3 is needed (ESP-IDF needs it too)"

# The anchored edits: check all (mode check), then apply all (mode apply).
edit() {
    python3 - "$@" <<'PY'
import sys

mode, path = sys.argv[1], sys.argv[2]
edits = [sys.argv[i:i + 3] for i in range(3, len(sys.argv), 3)]  # (kind, anchor, text)
raw = open(path, "rb").read()
bom = raw.startswith(b"\xef\xbb\xbf")
text = raw[3:].decode("utf-8") if bom else raw.decode("utf-8")
newline = "\r\n" if "\r\n" in text else "\n"
lines = text.split(newline)
changed = []
for kind, anchor, new in edits:
    if any(new.strip() == line.strip() for line in lines):
        continue  # already applied
    hits = [i for i, line in enumerate(lines) if anchor in line]
    if len(hits) != 1:
        sys.stderr.write(f"nf-ota apply: error: {path}: expected one line containing '{anchor}', found {len(hits)}; this nf-interpreter is not one apply.sh knows, nothing was changed\n")
        sys.exit(2)
    i = hits[0]
    if kind == "before":
        lines[i:i] = new.split("\n")
    elif kind == "after":
        lines[i + 1:i + 1] = new.split("\n")
    elif kind == "replace":
        indent = lines[i][:len(lines[i]) - len(lines[i].lstrip())]
        lines[i] = indent + new.strip()
    changed.append(f"{kind} '{anchor}'")
if mode == "apply" and changed:
    out = newline.join(lines).encode("utf-8")
    open(path, "wb").write((b"\xef\xbb\xbf" if bom else b"") + out)
for c in changed:
    print(("  would " if mode == "check" else "  ") + c)
PY
}

HOOK='    include(${CMAKE_SOURCE_DIR}/targets/ESP32/_nf-ota/nf_ota.cmake OPTIONAL) # nf-ota: component, interop, OTA tables, sdkconfig'
TABLES='nf_ota_partition_tables() # nf-ota: instead of nf_setup_partition_tables_generator(): no partitions_<N>mb.bin for nanoff at 0x8000'
INCLUDE='#include <esp_ota_ops.h> // nf-ota: nanoCLR runs from an OTA slot'
RUNNING='esp_ota_get_running_partition(); // nf-ota: the running OTA slot, not a factory partition'
DEPLOY_INCLUDE='#include <nf_ota_deploy.h> // nf-ota: the deploy partition paired with the running slot'
DEPLOY='nf_ota_deploy_partition(); // nf-ota: the deploy partition paired with the running slot'
WIDTH='        BlockRegions[1].Attributes |= nf_ota_deploy_region_attributes(part_deploy); // nf-ota: 16-byte deployment writes when encrypted'
WRITE='nf_ota_deploy_write(g_pFlashDriver_partition, offsetAddress, (const void *)buffer, (size_t)numBytes) == ESP_OK); // nf-ota: whole 16-byte blocks when encrypted'

binutils_edits=(before '# create IDF static libraries' "$HOOK"
                replace 'nf_setup_partition_tables_generator()' "$TABLES")
blockstorage_edits=(after '#include <esp_partition.h>' "$INCLUDE"
                    after '#include <esp_partition.h>' "$DEPLOY_INCLUDE"
                    replace 'esp_partition_find_first(ESP_PARTITION_TYPE_APP, ESP_PARTITION_SUBTYPE_APP_FACTORY, 0);' "$RUNNING"
                    replace 'esp_partition_find_first(ESP_PARTITION_TYPE_DATA, ESP_PARTITION_SUBTYPE_DATA_NANOCLR, 0);' "$DEPLOY"
                    after 'BlockRegions[1].BytesPerBlock = part_deploy->size;' "$WIDTH")
# (the last anchor names the driver's write call by its arguments only)
flashdriver_edits=(after '#include <Target_BlockStorage_Esp32FlashDriver.h>' "$DEPLOY_INCLUDE"
                   replace 'esp_partition_find_first(ESP_PARTITION_TYPE_DATA, ESP_PARTITION_SUBTYPE_DATA_NANOCLR, NULL);' "$DEPLOY"
                   replace '(g_pFlashDriver_partition, offsetAddress, (const void *)buffer, (size_t)numBytes) == ESP_OK);' "$WRITE")

# 1. Check every anchor first: nothing is written unless all of them are where expected.
edit check "$binutils" "${binutils_edits[@]}" >/dev/null
edit check "$blockstorage" "${blockstorage_edits[@]}" >/dev/null
edit check "$flashdriver" "${flashdriver_edits[@]}" >/dev/null

echo "nf-ota: applying to $target"

# 2. nf-ota's own folder, replaced whole (it holds nothing but what this script puts there).
ours="$target/targets/ESP32/_nf-ota"
staging="$(mktemp -d)"
trap 'rm -rf "$staging"' EXIT
mkdir -p "$staging/nf_ota"
cp -R "$native/nf_ota/." "$staging/nf_ota/"
cp "$here/nf_ota.cmake" "$here/nf_ota_partitions.cmake" "$here/sdkconfig.nf-ota" "$staging/"
printf 'Written by nf-ota native/nf-interpreter/apply.sh; replaced on every run. Do not edit here.\n' > "$staging/README.txt"
if [ -d "$ours" ] && diff -r -q "$staging" "$ours" >/dev/null; then
    echo "  targets/ESP32/_nf-ota: up to date"
else
    rm -rf "$ours"
    mkdir -p "$(dirname "$ours")"
    cp -R "$staging" "$ours"
    echo "  targets/ESP32/_nf-ota: written (component, interop stubs, nf_ota.cmake, nf_ota_partitions.cmake, sdkconfig.nf-ota)"
fi

# 3. The OTA partition tables over nf-interpreter's factory tables of the same name.
for table in "$here"/partitions/*/*.csv; do
    series="$(basename "$(dirname "$table")")"
    dest="$target/targets/ESP32/_IDF/$series/$(basename "$table")"
    if [ ! -d "$(dirname "$dest")" ]; then
        echo "  targets/ESP32/_IDF/$series: no such series here, skipped"
        continue
    fi
    if [ -f "$dest" ] && cmp -s "$table" "$dest"; then
        continue
    fi
    cp "$table" "$dest"
    echo "  targets/ESP32/_IDF/$series/$(basename "$table"): OTA table written"
done

# 4. The anchored edits.
echo "  CMake/binutils.ESP32.cmake:"
out="$(edit apply "$binutils" "${binutils_edits[@]}")"
echo "${out:-    already applied}"
echo "  targets/ESP32/_common/Device_BlockStorage.c:"
out="$(edit apply "$blockstorage" "${blockstorage_edits[@]}")"
echo "${out:-    already applied}"
echo "  targets/ESP32/_common/Target_BlockStorage_ESP32FlashDriver.c:"
out="$(edit apply "$flashdriver" "${flashdriver_edits[@]}")"
echo "${out:-    already applied}"

echo "nf-ota: done. Configure as usual (-DNF_OTA_FLASH_SIZE=4, 8 or 16 when the board's flash is not the size the"
echo "preset's sdkconfig defaults name) and, for secure boot v2 +"
echo "flash encryption, -DNF_OTA_SECURE_BOOT_SIGNING_KEY=/path/secure-boot-key.pem; delete an existing sdkconfig first."
