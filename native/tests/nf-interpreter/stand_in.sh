# Sourced by apply_test.sh and hook_test.sh: make_tree DIR writes a small stand-in for an
# nf-interpreter checkout. Only what apply.sh and nf-ota's hook meet is there, written here in
# nf-interpreter's shape (CRLF line endings and a UTF-8 BOM, as its .gitattributes gives every
# checkout). Its CMake/binutils.ESP32.cmake runs: nf_add_idf_as_library() keeps the order of the
# real macro (sdkconfig defaults copied to build/, the hook's anchor, idf_build_process, the
# nanoCLR executable, then the step that writes partitions_<N>mb.bin for nanoff, here as empty files).

crlf() { # FILE [bom]: LF -> CRLF, optionally with a BOM
    sed -i 's/$/\r/' "$1"
    if [ "${2:-}" = bom ]; then printf '\xef\xbb\xbf' | cat - "$1" > "$1.tmp" && mv "$1.tmp" "$1"; fi
}

make_tree() {
    local t="$1"
    mkdir -p "$t/CMake" "$t/targets/ESP32/_common" "$t/targets/ESP32/_IDF/esp32" "$t/targets/ESP32/_IDF/esp32c3"
    cat > "$t/CMake/binutils.ESP32.cmake" <<'CMAKE'
macro(nf_setup_partition_tables_generator)
    foreach(SIZE 2 4 8 16)
        add_custom_command(TARGET ${NANOCLR_PROJECT_NAME}.elf POST_BUILD
            COMMAND ${CMAKE_COMMAND} -E touch ${CMAKE_BINARY_DIR}/partitions_${SIZE}mb.bin)
    endforeach()
endmacro()

macro(nf_add_idf_as_library)
    set(SDKCONFIG_DEFAULTS_TEMP_FILE ${CMAKE_SOURCE_DIR}/build/sdkconfig.default)
    file(READ ${STAND_IN_SDKCONFIG_DEFAULTS} SDKCONFIG_ORIGINAL_CONTENTS)
    file(WRITE ${SDKCONFIG_DEFAULTS_TEMP_FILE} "${SDKCONFIG_ORIGINAL_CONTENTS}")
    # create IDF static libraries
    idf_build_process(${TARGET_SERIES_SHORT})
    add_executable(${NANOCLR_PROJECT_NAME}.elf ${CMAKE_SOURCE_DIR}/main.c)
    nf_setup_partition_tables_generator()
endmacro()
CMAKE
    crlf "$t/CMake/binutils.ESP32.cmake" bom
    printf '#include <esp_partition.h>\r\nvoid FixUpBlockRegionInfo()\r\n{\r\n    const esp_partition_t *part_nanoClr =\r\n        esp_partition_find_first(ESP_PARTITION_TYPE_APP, ESP_PARTITION_SUBTYPE_APP_FACTORY, 0);\r\n    const esp_partition_t *part_deploy =\r\n        esp_partition_find_first(ESP_PARTITION_TYPE_DATA, ESP_PARTITION_SUBTYPE_DATA_NANOCLR, 0);\r\n    if (part_deploy)\r\n    {\r\n        BlockRegions[1].Start = part_deploy->address;\r\n        BlockRegions[1].BytesPerBlock = part_deploy->size;\r\n    }\r\n}\r\n' > "$t/targets/ESP32/_common/Device_BlockStorage.c"
    printf '#include <nanoPAL_BlockStorage.h>\r\n#include <Target_BlockStorage_Esp32FlashDriver.h>\r\nbool Esp32FlashDriver_InitializeDevice(void *context)\r\n{\r\n    g_pFlashDriver_partition =\r\n        esp_partition_find_first(ESP_PARTITION_TYPE_DATA, ESP_PARTITION_SUBTYPE_DATA_NANOCLR, NULL);\r\n}\r\nbool Esp32FlashDriver_Write(void *context, ByteAddress startAddress, unsigned int numBytes, unsigned char *buffer, bool readModifyWrite)\r\n{\r\n    return (\r\n        %s(g_pFlashDriver_partition, offsetAddress, (const void *)buffer, (size_t)numBytes) == ESP_OK);\r\n}\r\n' "esp_partition_""write" > "$t/targets/ESP32/_common/Target_BlockStorage_ESP32FlashDriver.c"
    printf 'factory, app, factory, 0x10000, 0x1D0000,\r\n' > "$t/targets/ESP32/_IDF/esp32/partitions_nanoclr_8mb.csv"
    # The project around the macro, as nf-interpreter's CMakeLists.txt calls it; ESP-IDF's
    # functions are stubs (the hook's own logic is what is tested).
    cat > "$t/CMakeLists.txt" <<'CMAKE'
cmake_minimum_required(VERSION 3.20)
project(stand_in C)
set(NANOCLR_PROJECT_NAME nanoCLR)
set(TARGET_SERIES_SHORT ${STAND_IN_SERIES})
function(idf_build_component)
endfunction()
function(idf_build_process)
endfunction()
include(CMake/binutils.ESP32.cmake)
nf_add_idf_as_library()
CMAKE
    crlf "$t/CMakeLists.txt"
    printf 'int main(void)\r\n{\r\n    return 0;\r\n}\r\n' > "$t/main.c"
}
