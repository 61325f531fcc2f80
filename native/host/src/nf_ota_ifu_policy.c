/*
 * What a board's build fixes at configure (nf_ota_ifu_keys_builtin.c) and a PC sets here: the
 * image signing keys Complete trusts and whether it accepts unsigned images.
 */
#include <string.h>

#include "nf_host_unwind.h"
#include "nf_ota_ifu.h"

#define HOST_MAX_KEYS 4

static uint8_t s_keys[HOST_MAX_KEYS][65];
static size_t s_key_count;
static bool s_accept_unsigned;

size_t nf_ota_ifu_trusted_key_count(void)
{
    return s_key_count;
}

const uint8_t *nf_ota_ifu_trusted_key(size_t index)
{
    return index < s_key_count ? s_keys[index] : NULL;
}

bool nf_ota_ifu_accepts_unsigned(void)
{
    return s_accept_unsigned;
}

/* keys: count uncompressed P-256 points of 65 bytes each. Returns 0, or -1 for too many keys. */
NF_HOST_EXPORT int32_t nf_ota_host_ifu_set_policy(const uint8_t *keys, int32_t count, int32_t accept_unsigned)
{
    if (count < 0 || count > HOST_MAX_KEYS || (keys == NULL && count > 0))
    {
        return -1;
    }
    memcpy(s_keys, keys, (size_t)count * 65);
    s_key_count = (size_t)count;
    s_accept_unsigned = accept_unsigned != 0;
    return 0;
}

