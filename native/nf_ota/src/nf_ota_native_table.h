/*
 * The native assemblies this firmware provides: nanoCLR's interop table (name and native
 * checksum of each), which a managed app's assemblies must match to bind. nf_ota is an ESP-IDF
 * component in C; the table is reached through this one function, defined on the device in
 * nf_ota_native_table_clr.c (over nanoCLR's own table) and by the emulator in the host build.
 */
#ifndef NF_OTA_NATIVE_TABLE_H
#define NF_OTA_NATIVE_TABLE_H

#include <stdbool.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/*
 * False when the firmware has no nanoCLR (nf_ota in a plain ESP-IDF app): GetNativeAssemblies then
 * answers NF_OTA_NOT_SUPPORTED. On the device the table's symbols are weak references, so nf_ota
 * links without nanoCLR.
 */
bool nf_ota_native_table_available(void);

/* Entry `index` of the table: false past its end (and for an empty slot), name and checksum otherwise. */
bool nf_ota_native_table_entry(int32_t index, const char **name, uint32_t *checksum);

#ifdef __cplusplus
}
#endif

#endif /* NF_OTA_NATIVE_TABLE_H */
