# Fails if any file under SCAN_DIR (Markdown aside) names a raw flash write or erase: nf_ota must
# write the image and otadata only through esp_ota_*, ESP-IDF's encrypted path. Writing
# flash-encrypted ciphertext with raw writes is the bug nf-ota exists to end.
# cmake -DSCAN_DIR=native -P check-no-raw-flash-writes.cmake
set(FORBIDDEN
    "esp_flash_write" "esp_flash_erase"
    "spi_flash_write" "spi_flash_erase"
    "esp_partition_write" "esp_partition_erase"
    "bootloader_flash_write" "bootloader_flash_erase"
    "esp_rom_spiflash_write" "esp_rom_spiflash_erase"
    "SPIWrite" "SPIEraseSector" "SPIEraseBlock")

file(GLOB_RECURSE FILES LIST_DIRECTORIES false ${SCAN_DIR}/*)
set(VIOLATIONS "")
foreach(FILE ${FILES})
    if(FILE MATCHES "\\.md$" OR FILE MATCHES "check-no-raw-flash-writes\\.cmake$")
        continue()
    endif()
    file(STRINGS ${FILE} LINES)
    set(NUMBER 0)
    foreach(LINE IN LISTS LINES)
        math(EXPR NUMBER "${NUMBER} + 1")
        foreach(NAME ${FORBIDDEN})
            string(FIND "${LINE}" "${NAME}" AT)
            if(NOT AT EQUAL -1)
                string(APPEND VIOLATIONS "${FILE}:${NUMBER}: ${NAME}\n")
            endif()
        endforeach()
    endforeach()
endforeach()
if(VIOLATIONS)
    message(FATAL_ERROR "raw flash writes are not allowed (use esp_ota_*):\n${VIOLATIONS}")
endif()
list(LENGTH FILES COUNT)
message(STATUS "no raw flash writes in ${COUNT} files under ${SCAN_DIR}")
