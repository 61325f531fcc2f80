# nf-ota's hook into nf-interpreter's ESP32 build (written by native/nf-interpreter/apply.sh into
# targets/ESP32/_nf-ota/ and included from nf_add_idf_as_library() in CMake/binutils.ESP32.cmake,
# just before idf_build_process). It runs in that macro's scope, so the lists it appends to are
# the ones nf-interpreter hands to ESP-IDF.
#
# Options (cmake -D... or a CMake preset's cacheVariables):
#   NF_OTA_FLASH_SIZE                 4, 8 or 16 (MB): which OTA partition table to build with. Default: the
#                                     size the target's sdkconfig defaults select (CONFIG_ESPTOOLPY_FLASHSIZE_<N>MB;
#                                     every nanoFramework ESP32 preset says 4 MB); neither: the configure stops.
#                                     A table with a partition past that size stops the configure too.
#   NF_OTA_SECURE_BOOT_SIGNING_KEY    path to the secure boot v2 signing key (RSA-3072 or ECDSA PEM). When
#                                     set: secure boot v2 and flash encryption in release mode (one-way
#                                     eFuse burns on the first boot). When empty: neither, and a warning.
#   NF_OTA_ANTI_ROLLBACK              ON: the bootloader refuses images whose secure_version is below the
#                                     eFuse counter (each confirmed update can burn it up). Default OFF.
#   NF_OTA_SECURE_VERSION             the secure_version of this build (with NF_OTA_ANTI_ROLLBACK; default 0)
#   NF_OTA_CONFIRM_TIMEOUT_S          seconds before the native boot guard rolls back an unconfirmed firmware (default 300)
#   NF_OTA_PRE_ENCRYPTED              ON (default): pre-encrypted images with ECIES device keys work; on ESP-IDF
#                                     5.x this sets CONFIG_MBEDTLS_HKDF_C=y (off by default there; 6.0 has
#                                     no such option and HKDF on). RSA-3072 device keys need nothing.
# sdkconfig defaults never override an existing <nf-interpreter>/sdkconfig: delete it after changing these
# (the configure stops when that file's flash size or partition table differs from this one's).

set(NF_OTA_DIR ${CMAKE_CURRENT_LIST_DIR})
include(${NF_OTA_DIR}/nf_ota_partitions.cmake)

set(NF_OTA_FLASH_SIZE "" CACHE STRING "nf-ota: flash size in MB (4, 8 or 16) whose OTA partition table is built; empty: the target's sdkconfig defaults say")
set(NF_OTA_SECURE_BOOT_SIGNING_KEY "" CACHE FILEPATH "nf-ota: secure boot v2 signing key; enables secure boot v2 + flash encryption (release)")
option(NF_OTA_ANTI_ROLLBACK "nf-ota: enable ESP-IDF's anti-rollback (secure_version in eFuse)" OFF)
set(NF_OTA_SECURE_VERSION "0" CACHE STRING "nf-ota: secure_version of this firmware (anti-rollback)")
set(NF_OTA_CONFIRM_TIMEOUT_S "300" CACHE STRING "nf-ota: seconds a new firmware has to confirm itself")
option(NF_OTA_PRE_ENCRYPTED "nf-ota: pre-encrypted images (ECIES device keys need HKDF, off by default in ESP-IDF 5.x)" ON)

# The flash size the board has: the option, else what the target's own sdkconfig defaults select (the
# last CONFIG_ESPTOOLPY_FLASHSIZE_<N>MB=y wins, as when ESP-IDF reads them). A guess would build a
# table for flash the board may not have; ESP-IDF's build does not check that.
file(STRINGS ${SDKCONFIG_DEFAULTS_TEMP_FILE} NF_OTA_DEFAULT_FLASH_SIZES REGEX "^CONFIG_ESPTOOLPY_FLASHSIZE_[0-9]+MB=y")
set(NF_OTA_DEFAULT_FLASH_MB "")
if(NF_OTA_DEFAULT_FLASH_SIZES)
    list(GET NF_OTA_DEFAULT_FLASH_SIZES -1 NF_OTA_DEFAULT_FLASH_SIZE)
    string(REGEX REPLACE "^CONFIG_ESPTOOLPY_FLASHSIZE_([0-9]+)MB=y.*" "\\1" NF_OTA_DEFAULT_FLASH_MB "${NF_OTA_DEFAULT_FLASH_SIZE}")
endif()
if(NF_OTA_FLASH_SIZE)
    set(NF_OTA_FLASH_MB "${NF_OTA_FLASH_SIZE}")
elseif(NF_OTA_DEFAULT_FLASH_MB)
    set(NF_OTA_FLASH_MB "${NF_OTA_DEFAULT_FLASH_MB}")
else()
    message(FATAL_ERROR "nf-ota: the flash size is unknown: ${SDKCONFIG_DEFAULTS_TEMP_FILE} selects no CONFIG_ESPTOOLPY_FLASHSIZE_<N>MB; set NF_OTA_FLASH_SIZE to the board's flash in MB (4, 8 or 16)")
endif()

set(NF_OTA_PARTITION_TABLE "targets/ESP32/_IDF/${TARGET_SERIES_SHORT}/partitions_nanoclr_${NF_OTA_FLASH_MB}mb.csv")
# apply.sh wrote nf-ota's OTA tables over nf-interpreter's; a table without ota_1 is a factory table
# (no nf-ota table for this series and size, or the file was restored from git).
set(NF_OTA_OTA_SLOT "")
if(EXISTS ${CMAKE_SOURCE_DIR}/${NF_OTA_PARTITION_TABLE})
    file(STRINGS ${CMAKE_SOURCE_DIR}/${NF_OTA_PARTITION_TABLE} NF_OTA_OTA_SLOT REGEX "^ota_1,")
endif()
if(NOT NF_OTA_OTA_SLOT)
    message(FATAL_ERROR "nf-ota: ${NF_OTA_PARTITION_TABLE} is not an OTA partition table: nf-ota has none for ${TARGET_SERIES_SHORT} with ${NF_OTA_FLASH_MB} MB flash, or apply.sh has not run since it was restored; set NF_OTA_FLASH_SIZE to a size nf-ota ships (native/nf-interpreter/partitions)")
endif()
nf_ota_check_partitions_fit(${CMAKE_SOURCE_DIR}/${NF_OTA_PARTITION_TABLE} ${NF_OTA_FLASH_MB})

# An existing sdkconfig wins over every default below: refuse one made for another size or table.
if(EXISTS ${CMAKE_SOURCE_DIR}/sdkconfig)
    file(STRINGS ${CMAKE_SOURCE_DIR}/sdkconfig NF_OTA_EXISTING REGEX "^CONFIG_ESPTOOLPY_FLASHSIZE_[0-9]+MB=y|^CONFIG_PARTITION_TABLE_CUSTOM_FILENAME=")
    set(NF_OTA_WANTED "CONFIG_ESPTOOLPY_FLASHSIZE_${NF_OTA_FLASH_MB}MB=y" "CONFIG_PARTITION_TABLE_CUSTOM_FILENAME=\"${NF_OTA_PARTITION_TABLE}\"")
    foreach(NF_OTA_LINE IN LISTS NF_OTA_EXISTING)
        if(NOT NF_OTA_LINE IN_LIST NF_OTA_WANTED)
            message(FATAL_ERROR "nf-ota: ${CMAKE_SOURCE_DIR}/sdkconfig has ${NF_OTA_LINE}, this build needs ${NF_OTA_WANTED}; delete that sdkconfig and configure again")
        endif()
    endforeach()
endif()

# 1. The component: built by ESP-IDF (library mode takes no EXTRA_COMPONENT_DIRS) and linked into nanoCLR.
idf_build_component(${NF_OTA_DIR}/nf_ota)
list(APPEND IDF_COMPONENTS_TO_ADD nf_ota)
list(APPEND IDF_LIBRARIES_TO_ADD idf::nf_ota)

# 2. The interop assembly: its FindINTEROP module stays beside its stubs; NfOta.Interop is added
#    to the interop assemblies unless the build names it already.
list(APPEND CMAKE_MODULE_PATH ${NF_OTA_DIR}/nf_ota/nanoclr)
if(NOT "${NF_INTEROP_ASSEMBLIES}" MATCHES "NfOta\\.Interop")
    if("${NF_INTEROP_ASSEMBLIES}" STREQUAL "" OR "${NF_INTEROP_ASSEMBLIES}" STREQUAL "null")
        set(NF_INTEROP_ASSEMBLIES "NfOta.Interop")
    else()
        set(NF_INTEROP_ASSEMBLIES "${NF_INTEROP_ASSEMBLIES} NfOta.Interop")
    endif()
endif()

# 2b. nanoFramework's own in-field update API (nanoFramework.Runtime.InFieldUpdate, native 100.0.0.3)
#     over nf_ota: a second managed assembly, so a second interop entry, the same way. Its stubs
#     (nanoclr/ifu, skeleton name nf_runtime_ifu as nf-interpreter names them) call nf_ota_ifu.h.
#     NF_OTA_IFU=OFF leaves it out (an app that does not reference the library needs nothing).
option(NF_OTA_IFU "nf-ota: natives of nanoFramework.Runtime.InFieldUpdate over nf_ota" ON)
if(NF_OTA_IFU)
    list(APPEND CMAKE_MODULE_PATH ${NF_OTA_DIR}/nf_ota/nanoclr/ifu)
    if(NOT "${NF_INTEROP_ASSEMBLIES}" MATCHES "nanoFramework\\.Runtime\\.InFieldUpdate")
        set(NF_INTEROP_ASSEMBLIES "${NF_INTEROP_ASSEMBLIES} nanoFramework.Runtime.InFieldUpdate")
    endif()
endif()

# 3. ESP-IDF configuration, appended to the defaults nf-interpreter chose for this target.
file(READ ${NF_OTA_DIR}/sdkconfig.nf-ota NF_OTA_SDKCONFIG)
string(APPEND NF_OTA_SDKCONFIG "CONFIG_PARTITION_TABLE_CUSTOM_FILENAME=\"${NF_OTA_PARTITION_TABLE}\"\n")
if(NOT NF_OTA_FLASH_MB STREQUAL NF_OTA_DEFAULT_FLASH_MB)
    string(APPEND NF_OTA_SDKCONFIG "CONFIG_ESPTOOLPY_FLASHSIZE_${NF_OTA_FLASH_MB}MB=y\n")
endif()
string(APPEND NF_OTA_SDKCONFIG "CONFIG_NF_OTA_CONFIRM_TIMEOUT_S=${NF_OTA_CONFIRM_TIMEOUT_S}\n")
if(NF_OTA_SECURE_BOOT_SIGNING_KEY)
    if(NOT EXISTS ${NF_OTA_SECURE_BOOT_SIGNING_KEY})
        message(FATAL_ERROR "nf-ota: NF_OTA_SECURE_BOOT_SIGNING_KEY ${NF_OTA_SECURE_BOOT_SIGNING_KEY} does not exist (make one with: nfota keys new --secure-boot rsa3072)")
    endif()
    string(APPEND NF_OTA_SDKCONFIG
        "CONFIG_SECURE_BOOT=y\n"
        "CONFIG_SECURE_BOOT_V2_ENABLED=y\n"
        "CONFIG_SECURE_BOOT_BUILD_SIGNED_BINARIES=y\n"
        "CONFIG_SECURE_BOOT_SIGNING_KEY=\"${NF_OTA_SECURE_BOOT_SIGNING_KEY}\"\n"
        "CONFIG_SECURE_FLASH_ENC_ENABLED=y\n"
        "CONFIG_SECURE_FLASH_ENCRYPTION_MODE_RELEASE=y\n")
    # Secure boot v2 needs chip revision 3 on the ESP32 and on the ESP32-C3 (ESP-IDF's Kconfig).
    if(TARGET_SERIES_SHORT STREQUAL "esp32")
        string(APPEND NF_OTA_SDKCONFIG "CONFIG_ESP32_REV_MIN_3=y\n")
    elseif(TARGET_SERIES_SHORT STREQUAL "esp32c3")
        string(APPEND NF_OTA_SDKCONFIG "CONFIG_ESP32C3_REV_MIN_3=y\n")
    endif()
else()
    message(WARNING "nf-ota: NF_OTA_SECURE_BOOT_SIGNING_KEY is not set: this firmware has OTA and rollback but neither secure boot v2 nor flash encryption")
endif()
if(NF_OTA_PRE_ENCRYPTED)
    # ESP-IDF 5.x's mbedtls Kconfig has MBEDTLS_HKDF_C (default n); 6.0's has no such option (HKDF
    # is on through TF-PSA-Crypto). Set it only where the option exists.
    set(NF_OTA_IDF_PATH "${IDF_PATH}")
    if(NOT NF_OTA_IDF_PATH)
        set(NF_OTA_IDF_PATH "$ENV{IDF_PATH}")
    endif()
    set(NF_OTA_MBEDTLS_KCONFIG "${NF_OTA_IDF_PATH}/components/mbedtls/Kconfig")
    set(NF_OTA_HKDF_OPTION "")
    if(EXISTS "${NF_OTA_MBEDTLS_KCONFIG}")
        file(STRINGS "${NF_OTA_MBEDTLS_KCONFIG}" NF_OTA_HKDF_OPTION REGEX "^[ \t]*config MBEDTLS_HKDF_C$")
    endif()
    if(NF_OTA_HKDF_OPTION OR NOT EXISTS "${NF_OTA_MBEDTLS_KCONFIG}")
        string(APPEND NF_OTA_SDKCONFIG "CONFIG_MBEDTLS_HKDF_C=y\n")
    endif()
endif()
if(NF_OTA_ANTI_ROLLBACK)
    string(APPEND NF_OTA_SDKCONFIG
        "CONFIG_BOOTLOADER_APP_ANTI_ROLLBACK=y\n"
        "CONFIG_BOOTLOADER_APP_SECURE_VERSION=${NF_OTA_SECURE_VERSION}\n")
endif()

file(READ ${SDKCONFIG_DEFAULTS_TEMP_FILE} NF_OTA_DEFAULTS)
set(CMAKE_DISABLE_SOURCE_CHANGES OFF)
file(WRITE ${SDKCONFIG_DEFAULTS_TEMP_FILE} "${NF_OTA_DEFAULTS}\n# nf-ota\n${NF_OTA_SDKCONFIG}")
set(CMAKE_DISABLE_SOURCE_CHANGES ON)

# 4. The partition tables the build leaves. apply.sh makes nf-interpreter call this instead of
#    nf_setup_partition_tables_generator(), which writes partitions_{2,4,8,16}mb.bin from the table
#    of every size (the 2 MB one a factory table) for nanoff, which writes them at 0x8000. This
#    build's bootloader reads its table at 0xE000 and, signed, keeps the flash size it was built
#    for: the one table that agrees with it is ESP-IDF's partition_table/partition-table.bin
#    (flasher_args.json gives every file's offset). Those files are not made, and ones an earlier
#    build left are removed, so that nothing offers them to nanoff.
macro(nf_ota_partition_tables)
    add_custom_command(TARGET ${NANOCLR_PROJECT_NAME}.elf POST_BUILD
        COMMAND ${CMAKE_COMMAND} -E rm -f
            ${CMAKE_BINARY_DIR}/partitions_2mb.bin ${CMAKE_BINARY_DIR}/partitions_4mb.bin ${CMAKE_BINARY_DIR}/partitions_8mb.bin
            ${CMAKE_BINARY_DIR}/partitions_16mb.bin ${CMAKE_BINARY_DIR}/partitions_32mb.bin
        COMMENT "nf-ota: the partition table is partition_table/partition-table.bin, at 0xE000 (no partitions_<N>mb.bin for nanoff)")
endmacro()

if(NF_OTA_IFU)
    set(NF_OTA_IFU_NOTE " + nanoFramework.Runtime.InFieldUpdate")
endif()
message(STATUS "nf-ota: nf_ota component, NfOta.Interop${NF_OTA_IFU_NOTE}, ${NF_OTA_FLASH_MB} MB flash, ${NF_OTA_PARTITION_TABLE} at 0xE000, rollback + boot guard (${NF_OTA_CONFIRM_TIMEOUT_S} s)")
