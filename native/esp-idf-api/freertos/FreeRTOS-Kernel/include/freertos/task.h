/*
 * nf-ota's declaration of ESP-IDF's freertos/task.h (creating and ending a task). ESP-IDF makes
 * xTaskCreate a static inline over xTaskCreatePinnedToCore; off the device the host runs the
 * task's function to completion inside xTaskCreate.
 */
#pragma once

#include "FreeRTOS.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct tskTaskControlBlock *TaskHandle_t;
typedef void (*TaskFunction_t)(void *);

#define tskIDLE_PRIORITY ((UBaseType_t)0U)

BaseType_t xTaskCreate(TaskFunction_t pxTaskCode, const char *const pcName, const configSTACK_DEPTH_TYPE uxStackDepth,
                       void *const pvParameters, UBaseType_t uxPriority, TaskHandle_t *const pxCreatedTask);
void vTaskDelete(TaskHandle_t xTaskToDelete);

#ifdef __cplusplus
}
#endif
