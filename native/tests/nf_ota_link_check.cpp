// nf_ota linked as an ESP-IDF app links it: every source of the component, the device's
// native-table reader (nf_ota_native_table_clr.c) included, with the fake ESP-IDF standing for
// ESP-IDF. Built twice: without nanoCLR (its table's symbols absent: GetNativeAssemblies answers
// NotSupported) and with a stand-in for nanoCLR's generated table (the entries are read back).
#include <cstdio>
#include <cstring>

#include "fake_esp_idf.h"

extern "C" {
#include "nf_ota_interop.h"
#include "nf_ota_status.h"
}

#ifdef NF_OTA_LINK_WITH_TABLE
// CLR_RT_NativeAssemblyData's leading members, as nanoCLR's generated table defines them.
struct NativeAssemblyHead
{
    const char *m_szAssemblyName;
    unsigned int m_checkSum;
};
static const NativeAssemblyHead s_entry = {"NfOta.Interop", 0x3E270E4Eu};
extern "C" {
extern const NativeAssemblyHead *const g_CLR_InteropAssembliesNativeData[];
extern const uint16_t g_CLR_InteropAssembliesCount;
const NativeAssemblyHead *const g_CLR_InteropAssembliesNativeData[] = {&s_entry, nullptr};
const uint16_t g_CLR_InteropAssembliesCount = 1;
}
#endif

int main()
{
    fake_reset();
    uint8_t record[64];
    int32_t result = nf_ota_NativeOta_GetNativeAssemblies(record, sizeof(record));
#ifdef NF_OTA_LINK_WITH_TABLE
    bool ok = result == 5 + 13 && record[0] == 0x4E && record[3] == 0x3E && record[4] == 13 && std::memcmp(record + 5, "NfOta.Interop", 13) == 0;
#else
    bool ok = result == NF_OTA_NOT_SUPPORTED;
#endif
    std::printf("GetNativeAssemblies: %d (%s)\n", result, ok ? "as expected" : "unexpected");
    return ok ? 0 : 1;
}
