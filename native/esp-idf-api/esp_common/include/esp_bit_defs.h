/* nf-ota's declaration of ESP-IDF's esp_common/include/esp_bit_defs.h (BIT only). */
#pragma once

#define BIT(nr) (1UL << (nr))
