# Fails unless BINARY defines SYMBOL (any symbol kind: ESP-IDF's start-up records are local).
# cmake -DNM=nm -DBINARY=prog -DSYMBOL=name -P check-symbol.cmake
cmake_minimum_required(VERSION 3.20)
execute_process(COMMAND ${NM} ${BINARY} OUTPUT_VARIABLE SYMBOLS RESULT_VARIABLE NM_RESULT)
if(NOT NM_RESULT EQUAL 0)
    message(FATAL_ERROR "${NM} ${BINARY} failed (${NM_RESULT})")
endif()
if(NOT SYMBOLS MATCHES "[0-9a-fA-F]+ [A-Za-z] ${SYMBOL}\n")
    message(FATAL_ERROR "${BINARY} does not define ${SYMBOL}")
endif()
message(STATUS "${BINARY} defines ${SYMBOL}")
