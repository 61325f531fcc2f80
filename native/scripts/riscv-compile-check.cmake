# Compiles every nf_ota source for the ESP32-C3's instruction set (rv32imc, ilp32), warnings as
# errors, against the ESP-IDF API declarations in esp-idf-api/ (one include folder per ESP-IDF
# component, as an IDF build passes them) and mbedTLS's headers (mbedtls/ and psa/).
# cmake -DSOURCE_DIR=native -DWORK_DIR=out -DMBEDTLS_INCLUDE_DIR=/usr/include "-DESP_IDF_API_INCLUDES=a;b" -P riscv-compile-check.cmake
find_program(RISCV_GCC riscv64-unknown-elf-gcc)
if(NOT RISCV_GCC)
    message(FATAL_ERROR "riscv64-unknown-elf-gcc not found: run native/scripts/install-deps.sh (gcc-riscv64-unknown-elf, picolibc-riscv64-unknown-elf)")
endif()

# Expose only mbedTLS's headers: -I on the host's /usr/include would pull in glibc's headers.
file(REMOVE_RECURSE ${WORK_DIR})
file(MAKE_DIRECTORY ${WORK_DIR}/include)
file(CREATE_LINK ${MBEDTLS_INCLUDE_DIR}/mbedtls ${WORK_DIR}/include/mbedtls SYMBOLIC)
file(CREATE_LINK ${MBEDTLS_INCLUDE_DIR}/psa ${WORK_DIR}/include/psa SYMBOLIC)
set(API_FLAGS)
foreach(DIR ${ESP_IDF_API_INCLUDES})
    list(APPEND API_FLAGS -I${DIR})
endforeach()
if(NOT API_FLAGS)
    message(FATAL_ERROR "ESP_IDF_API_INCLUDES is empty")
endif()

file(GLOB SOURCES ${SOURCE_DIR}/nf_ota/src/*.c)
foreach(SOURCE ${SOURCES})
    get_filename_component(NAME ${SOURCE} NAME_WE)
    execute_process(
        COMMAND ${RISCV_GCC} -march=rv32imc -mabi=ilp32 -Wall -Werror -std=c11 -Os --specs=picolibc.specs
            -I${SOURCE_DIR}/nf_ota/include -I${SOURCE_DIR}/nf_ota/src ${API_FLAGS} -I${WORK_DIR}/include
            -c ${SOURCE} -o ${WORK_DIR}/${NAME}.o
        RESULT_VARIABLE RESULT
        OUTPUT_VARIABLE OUT
        ERROR_VARIABLE OUT)
    if(NOT RESULT EQUAL 0)
        message(FATAL_ERROR "rv32imc: ${NAME}.c does not compile:\n${OUT}")
    endif()
    message(STATUS "rv32imc: ${NAME}.c compiles")
endforeach()
# Again as on ESP-IDF v6.0.1 (esp-idf-api's NF_OTA_API_ESP_IDF_6_0_1), with -Wextra and deprecations
# as errors: a -Werror ESP-IDF 6.0.1 build fails on any deprecated call.
foreach(SOURCE ${SOURCES})
    get_filename_component(NAME ${SOURCE} NAME_WE)
    execute_process(
        COMMAND ${RISCV_GCC} -march=rv32imc -mabi=ilp32 -Wall -Wextra -Werror -Wdeprecated-declarations -std=c11 -Os --specs=picolibc.specs
            -DNF_OTA_API_ESP_IDF_6_0_1
            -I${SOURCE_DIR}/nf_ota/include -I${SOURCE_DIR}/nf_ota/src ${API_FLAGS} -I${WORK_DIR}/include
            -c ${SOURCE} -o ${WORK_DIR}/${NAME}.v601.o
        RESULT_VARIABLE RESULT
        OUTPUT_VARIABLE OUT
        ERROR_VARIABLE OUT)
    if(NOT RESULT EQUAL 0)
        message(FATAL_ERROR "rv32imc, as on ESP-IDF v6.0.1: ${NAME}.c does not compile:\n${OUT}")
    endif()
    message(STATUS "rv32imc, as on ESP-IDF v6.0.1: ${NAME}.c compiles")
endforeach()
list(LENGTH SOURCES COUNT)
if(COUNT EQUAL 0)
    message(FATAL_ERROR "no sources found under ${SOURCE_DIR}/nf_ota/src")
endif()
