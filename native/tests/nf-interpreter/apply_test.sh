#!/usr/bin/env bash
# CTest: native/nf-interpreter/apply.sh on a small stand-in for an nf-interpreter checkout
# (stand_in.sh: CRLF line endings and a UTF-8 BOM, only what apply.sh and the hook meet). Checks:
# the edits land with CRLF kept, a second run changes nothing, and a checkout without the anchors
# is refused with nothing written.
set -euo pipefail
apply="$(cd "$(dirname "$0")/../../nf-interpreter" && pwd)/apply.sh"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }

source "$(dirname "$0")/stand_in.sh"

tree="$work/nf-interpreter"
make_tree "$tree"
"$apply" "$tree" > "$work/first.log" || fail "first run exited $?"
grep -q "nf_ota.cmake OPTIONAL" "$tree/CMake/binutils.ESP32.cmake" || fail "hook not inserted"
[ "$(head -c3 "$tree/CMake/binutils.ESP32.cmake" | od -An -tx1 | tr -d ' ')" = "efbbbf" ] || fail "BOM lost"
grep -q $'nf_ota.cmake OPTIONAL.*\r$' "$tree/CMake/binutils.ESP32.cmake" || fail "inserted line is not CRLF"
[ "$(grep -c $'[^\r]$' "$tree/CMake/binutils.ESP32.cmake")" = "0" ] || fail "a line lost its CR"
hook_line=$(grep -n "nf_ota.cmake" "$tree/CMake/binutils.ESP32.cmake" | cut -d: -f1)
anchor_line=$(grep -n "# create IDF static libraries" "$tree/CMake/binutils.ESP32.cmake" | cut -d: -f1)
[ "$hook_line" -lt "$anchor_line" ] || fail "hook is not before the anchor"
grep -q $'^    nf_ota_partition_tables() # nf-ota: .*\r$' "$tree/CMake/binutils.ESP32.cmake" || fail "partition table step not replaced"
grep -q $'macro(nf_setup_partition_tables_generator)\r$' "$tree/CMake/binutils.ESP32.cmake" || fail "nf-interpreter's macro itself was touched"
grep -q $'^#include <esp_ota_ops.h>.*\r$' "$tree/targets/ESP32/_common/Device_BlockStorage.c" || fail "include not added"
grep -q $'^        esp_ota_get_running_partition();.*\r$' "$tree/targets/ESP32/_common/Device_BlockStorage.c" || fail "factory lookup not replaced"
grep -q "APP_FACTORY" "$tree/targets/ESP32/_common/Device_BlockStorage.c" && fail "factory lookup still there"
bs="$tree/targets/ESP32/_common/Device_BlockStorage.c"
fd="$tree/targets/ESP32/_common/Target_BlockStorage_ESP32FlashDriver.c"
grep -q $'^#include <nf_ota_deploy.h>.*\r$' "$bs" || fail "deploy include not added to Device_BlockStorage.c"
grep -q $'^        nf_ota_deploy_partition();.*\r$' "$bs" || fail "deploy lookup not replaced in Device_BlockStorage.c"
grep -q "DATA_NANOCLR" "$bs" "$fd" && fail "a shared deploy lookup is still there"
attr_line=$(grep -n "nf_ota_deploy_region_attributes(part_deploy)" "$bs" | cut -d: -f1)
size_line=$(grep -n "BlockRegions\[1\].BytesPerBlock" "$bs" | cut -d: -f1)
[ "$attr_line" = "$((size_line + 1))" ] || fail "program width not set right after the deploy region's size"
grep -q $'^#include <nf_ota_deploy.h>.*\r$' "$fd" || fail "deploy include not added to the flash driver"
grep -q $'^        nf_ota_deploy_partition();.*\r$' "$fd" || fail "deploy lookup not replaced in the flash driver"
grep -q $'^        nf_ota_deploy_write(g_pFlashDriver_partition, offsetAddress.*\r$' "$fd" || fail "driver write not replaced"
grep -q "esp_partition_""write" "$fd" && fail "the driver still writes without padding"
grep -q "^ota_1," "$tree/targets/ESP32/_IDF/esp32/partitions_nanoclr_8mb.csv" || fail "OTA table not written"
[ -f "$tree/targets/ESP32/_nf-ota/nf_ota/src/nf_ota.c" ] || fail "component not copied"
[ -f "$tree/targets/ESP32/_nf-ota/nf_ota/nanoclr/FindINTEROP-NfOta.Interop.cmake" ] || fail "interop module not copied"
[ -f "$tree/targets/ESP32/_nf-ota/nf_ota/nanoclr/ifu/FindINTEROP-nanoFramework.Runtime.InFieldUpdate.cmake" ] || fail "IFU interop module not copied"

cp -R "$tree" "$work/after-first"
"$apply" "$tree" > "$work/second.log" || fail "second run exited $?"
diff -r "$work/after-first" "$tree" >/dev/null || fail "second run changed the tree"
grep -q "already applied" "$work/second.log" || fail "second run did not say it had nothing to do"

# An unknown checkout: anchor missing in one file -> exit 2, nothing written anywhere.
other="$work/other"
make_tree "$other"
sed -i 's/# create IDF static libraries/# something else/' "$other/CMake/binutils.ESP32.cmake"
cp -R "$other" "$work/other-before"
set +e
"$apply" "$other" > "$work/refused.log" 2>&1
status=$?
set -e
[ "$status" = "2" ] || fail "unknown checkout: exit $status, expected 2"
diff -r "$work/other-before" "$other" >/dev/null || fail "unknown checkout was modified"
grep -q "nothing was changed" "$work/refused.log" || fail "no clear refusal message"

set +e
"$apply" "$work/nowhere" > /dev/null 2>&1; [ $? = 2 ] || fail "missing folder not refused with exit 2"
set -e
echo "apply.sh: 3 scenarios passed"
