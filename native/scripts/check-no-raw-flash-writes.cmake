# Fails if any file under SCAN_DIR (Markdown aside) names a raw flash write or erase: nf_ota must
# write the image and otadata only through esp_ota_*, ESP-IDF's encrypted path. Writing
# flash-encrypted ciphertext with raw writes is the bug nf-ota exists to end.
#
# One exception: the managed app's deploy partition is written with esp_partition_write and
# esp_partition_erase_range, which encrypt when the partition is flagged encrypted (ESP-IDF's
# encrypted path for data partitions). Only the file that writes the app (nf_ota_app.c, which
# refuses anything but a deploy partition paired with a non-running slot), the header declaring
# them and the two stand-ins that serve them off the device may name those two; the _raw
# variants are refused everywhere.
#
# A second, narrower one: nf_ota_unfinished.c may name esp_partition_erase_range (not the write) to
# erase the first sector of an OTA slot whose write session ended badly, so that the image left
# there can never be set to boot (and its test may count that call). Erasing writes no data,
# encrypted or not.
#
# A third, as narrow: nf_ota_erase_ahead.c may name esp_partition_erase_range (not the write) to
# erase an OTA slot ahead of esp_ota_write in 64 KiB blocks (issue 23): ESP-IDF's own erase as you
# go (OTA_WITH_SEQUENTIAL_WRITES) erases 4 KiB sectors one at a time, 2.8x the flash time of a
# bulk erase. The image itself still reaches flash only through esp_ota_write; its test may count
# those calls.
# A fourth (issue 26): nf_ota_ifu_flash.c may name both to write an OTA slot's in-field-update
# sidecar, its last two sectors (an MCUboot image's header and TLVs), which it checks before each
# call; no app image reaches them, and the image itself still goes through esp_ota_write.
# cmake -DSCAN_DIR=native -P check-no-raw-flash-writes.cmake
cmake_minimum_required(VERSION 3.20)
set(FORBIDDEN
    "esp_flash_write" "esp_flash_erase"
    "spi_flash_write" "spi_flash_erase"
    "esp_partition_write" "esp_partition_erase"
    "bootloader_flash_write" "bootloader_flash_erase"
    "esp_rom_spiflash_write" "esp_rom_spiflash_erase"
    "SPIWrite" "SPIEraseSector" "SPIEraseBlock")

set(APP_PATH_FILES "nf_ota_app.c" "nf_ota_ifu_flash.c" "esp_partition.h" "esp_idf_host.c" "nf_ota_host.h" "fake_esp_idf.cpp" "nf_ota_app_test.cpp")
set(ERASE_ONLY_FILES "nf_ota_unfinished.c" "nf_ota_unfinished_test.cpp" "nf_ota_erase_ahead.c" "nf_ota_erase_ahead_test.cpp")

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
            if(NOT AT EQUAL -1 AND NAME MATCHES "^esp_partition_")
                # In the app path's files, only the two encrypted-path calls; _raw never.
                get_filename_component(BASE ${FILE} NAME)
                string(REGEX REPLACE "esp_partition_erase_range([^_]|$)" "" STRIPPED "${LINE}")
                if(BASE IN_LIST APP_PATH_FILES)
                    string(REGEX REPLACE "esp_partition_write([^_]|$)" "" STRIPPED "${STRIPPED}")
                endif()
                string(FIND "${STRIPPED}" "${NAME}" AT)
                if(NOT BASE IN_LIST APP_PATH_FILES AND NOT BASE IN_LIST ERASE_ONLY_FILES)
                    set(AT 0)
                endif()
            endif()
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
