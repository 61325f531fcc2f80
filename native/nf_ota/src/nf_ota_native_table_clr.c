/*
 * nf_ota_native_table_entry on the device: nanoCLR's interop table (CLR_RT_NativeAssemblyData,
 * nf-interpreter src/CLR/Include/nanoCLR_Interop.h), generated into every nanoCLR build.
 *
 * That struct is C++; only its first two members are read here, through a C struct with the same
 * leading layout (a name pointer, then an unsigned int checksum). The table and its count are
 * variables at global namespace, which C++ does not mangle, so C links to them by name. The
 * array ends with NULL; the count bounds the walk as well. Not part of the host build (the
 * emulator serves the table there).
 *
 * Both are weak references: nf_ota is also an ESP-IDF component on its own (idf_component.yml),
 * and an app without nanoCLR must still link. Undefined, their addresses are NULL and the table is
 * reported unavailable (GetNativeAssemblies: NF_OTA_NOT_SUPPORTED).
 */
#include <stddef.h>

#include "nf_ota_native_table.h"

typedef struct {
    const char *m_szAssemblyName;
    unsigned int m_checkSum;
} nf_ota_clr_native_assembly_head_t;

extern const nf_ota_clr_native_assembly_head_t *g_CLR_InteropAssembliesNativeData[] __attribute__((weak));
extern const uint16_t g_CLR_InteropAssembliesCount __attribute__((weak));

bool nf_ota_native_table_available(void)
{
    return &g_CLR_InteropAssembliesCount != NULL && g_CLR_InteropAssembliesNativeData != NULL;
}

bool nf_ota_native_table_entry(int32_t index, const char **name, uint32_t *checksum)
{
    if (!nf_ota_native_table_available() || index < 0 || index >= (int32_t)g_CLR_InteropAssembliesCount)
    {
        return false;
    }
    const nf_ota_clr_native_assembly_head_t *entry = g_CLR_InteropAssembliesNativeData[index];
    if (entry == NULL)
    {
        return false;
    }
    *name = entry->m_szAssemblyName;
    *checksum = entry->m_checkSum;
    return true;
}
