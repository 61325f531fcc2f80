/*
 * nf-ota's declaration of ESP-IDF's FreeRTOS (freertos/FreeRTOS-Kernel/include/freertos/FreeRTOS.h):
 * the base types nf_ota uses. In ESP-IDF stack depths are in bytes.
 */
#pragma once

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

typedef int BaseType_t;
typedef unsigned int UBaseType_t;
typedef uint32_t TickType_t;
typedef uint32_t configSTACK_DEPTH_TYPE;

#define pdFALSE ((BaseType_t)0)
#define pdTRUE ((BaseType_t)1)
#define pdPASS (pdTRUE)
#define pdFAIL (pdFALSE)

#ifdef __cplusplus
}
#endif
