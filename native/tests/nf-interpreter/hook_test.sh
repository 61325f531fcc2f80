#!/usr/bin/env bash
# CTest: nf-ota's build hook (nf_ota.cmake), configured for real by CMake inside a stand-in
# nf-interpreter checkout (stand_in.sh) after apply.sh. ESP-IDF's functions are stubs; what is
# checked is what the hook decides: the flash size and table it builds with, the configures it
# refuses, and the partition table files the build leaves.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
apply="$here/../../nf-interpreter/apply.sh"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }
source "$here/stand_in.sh"

tree="$work/nf-interpreter"
make_tree "$tree"
"$apply" "$tree" > /dev/null || fail "apply.sh exited $?"
c3_4mb="$tree/targets/ESP32/_IDF/esp32c3/partitions_nanoclr_4mb.csv"
cp "$c3_4mb" "$work/c3_4mb.csv"

# configure NAME DEFAULTS [cmake options...]: a fresh build folder, the preset's sdkconfig defaults
# given as text; the log is in $work/NAME.log, the defaults the hook leaves in $work/NAME.defaults.
configure() {
    local name="$1" defaults="$2"
    shift 2
    rm -rf "$tree/build"
    local status=0
    printf '%s' "$defaults" > "$work/$name.preset"
    cmake -S "$tree" -B "$tree/build" -DSTAND_IN_SERIES=esp32c3 "-DSTAND_IN_SDKCONFIG_DEFAULTS=$work/$name.preset" "$@" > "$work/$name.log" 2>&1 || status=$?
    cp "$tree/build/sdkconfig.default" "$work/$name.defaults" 2>/dev/null || true
    return $status
}
stock=$'CONFIG_ESPTOOLPY_FLASHSIZE_4MB=y\nCONFIG_ESPTOOLPY_HEADER_FLASHSIZE_UPDATE=y\n'

# 1. The stock ESP32_C3 preset (its defaults select 4 MB), no option: the 4 MB table, nothing forced.
configure stock "$stock" || { cat "$work/stock.log"; fail "stock ESP32_C3 defaults: configure failed"; }
grep -q 'partitions_nanoclr_4mb.csv"' "$work/stock.defaults" || fail "stock defaults (4 MB): not the 4 MB table"
grep -q "FLASHSIZE_8MB" "$work/stock.defaults" && fail "stock defaults (4 MB): 8 MB forced"
grep -q "nf-ota: .*4 MB flash" "$work/stock.log" || fail "stock defaults: the size is not reported"

# 2. The option wins over the defaults (an 8 MB board built from a 4 MB preset) and says so to ESP-IDF.
configure option8 "$stock" -DNF_OTA_FLASH_SIZE=8 || fail "NF_OTA_FLASH_SIZE=8: configure failed"
grep -q 'partitions_nanoclr_8mb.csv"' "$work/option8.defaults" || fail "NF_OTA_FLASH_SIZE=8: not the 8 MB table"
[ "$(grep -c "^CONFIG_ESPTOOLPY_FLASHSIZE_" "$work/option8.defaults")" = 2 ] || fail "NF_OTA_FLASH_SIZE=8: flash size not appended once"
[ "$(grep "^CONFIG_ESPTOOLPY_FLASHSIZE_" "$work/option8.defaults" | tail -1)" = "CONFIG_ESPTOOLPY_FLASHSIZE_8MB=y" ] || fail "NF_OTA_FLASH_SIZE=8: 8 MB is not the last word"

# 3. Defaults that name no size and no option: refused.
if configure nosize $'CONFIG_ESPTOOLPY_HEADER_FLASHSIZE_UPDATE=y\n'; then fail "no flash size anywhere: configure succeeded"; fi
grep -q "the flash size is unknown" "$work/nosize.log" || fail "no flash size: no clear message"

# 4. A table with a partition past the end of the flash: refused, naming it.
sed -i 's/^config,   data, 0x83,    0x3E0000,  0x20000,/config,   data, 0x83,    0x3F0000,  0x20000,/' "$c3_4mb"
grep -q "0x3F0000" "$c3_4mb" || fail "test setup: the 4 MB table's config line was not moved"
if configure pastend "$stock"; then fail "a partition past 4 MB: configure succeeded"; fi
grep -q "partition config ends at 0x410000, past the end of 4 MB flash" "$work/pastend.log" || fail "past the end: no clear message"
cp "$work/c3_4mb.csv" "$c3_4mb"

# 5. An existing sdkconfig made for another size: refused (it would win over the defaults).
printf 'CONFIG_ESPTOOLPY_FLASHSIZE_8MB=y\nCONFIG_PARTITION_TABLE_CUSTOM_FILENAME="targets/ESP32/_IDF/esp32c3/partitions_nanoclr_8mb.csv"\n' > "$tree/sdkconfig"
if configure stale "$stock"; then fail "an 8 MB sdkconfig with 4 MB defaults: configure succeeded"; fi
grep -q "delete that sdkconfig" "$work/stale.log" || fail "stale sdkconfig: no clear message"
printf 'CONFIG_ESPTOOLPY_FLASHSIZE_4MB=y\nCONFIG_PARTITION_TABLE_CUSTOM_FILENAME="targets/ESP32/_IDF/esp32c3/partitions_nanoclr_4mb.csv"\n' > "$tree/sdkconfig"
configure same "$stock" || fail "an sdkconfig this build would write: configure failed"
rm "$tree/sdkconfig"

# 6. The build leaves no partitions_<N>mb.bin (nanoff writes them at 0x8000; this bootloader reads
#    0xE000), and removes one an earlier build left.
configure build "$stock" || fail "build: configure failed"
touch "$tree/build/partitions_4mb.bin"
cmake --build "$tree/build" > "$work/build.log" 2>&1 || { cat "$work/build.log"; fail "build: the stand-in did not build"; }
[ -f "$tree/build/nanoCLR.elf" ] || fail "build: no nanoCLR.elf"
left="$(cd "$tree/build" && ls partitions_*mb.bin 2>/dev/null || true)"
[ -z "$left" ] || fail "build: left $left for nanoff at 0x8000"

echo "nf_ota.cmake: 6 scenarios passed"
