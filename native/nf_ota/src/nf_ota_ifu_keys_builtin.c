/*
 * The image signing keys a board's firmware trusts, from the file NF_OTA_IFU_KEY_FILE names at
 * configure: the C that MCUboot's `imgtool getpub -k KEY.pem` prints (or `nfota mcuboot getpub`),
 * which defines ecdsa_pub_key[] as a SubjectPublicKeyInfo DER. Without one the build defines
 * NF_OTA_IFU_NO_KEY and no signed image can be completed.
 */
#include <stddef.h>
#include <stdint.h>

#include "nf_ota_ifu.h"
#include "nf_ota_ifu_image.h"
#include "sdkconfig.h"

#ifndef NF_OTA_IFU_NO_KEY
extern const unsigned char ecdsa_pub_key[];
extern const unsigned int ecdsa_pub_key_len;
#endif

size_t nf_ota_ifu_trusted_key_count(void)
{
#ifdef NF_OTA_IFU_NO_KEY
    return 0;
#else
    return nf_ota_ifu_spki_point(ecdsa_pub_key, ecdsa_pub_key_len) != NULL ? 1 : 0;
#endif
}

const uint8_t *nf_ota_ifu_trusted_key(size_t index)
{
#ifdef NF_OTA_IFU_NO_KEY
    (void)index;
    return NULL;
#else
    return index == 0 ? nf_ota_ifu_spki_point(ecdsa_pub_key, ecdsa_pub_key_len) : NULL;
#endif
}

bool nf_ota_ifu_accepts_unsigned(void)
{
#if defined(CONFIG_NF_OTA_IFU_ACCEPT_UNSIGNED) && CONFIG_NF_OTA_IFU_ACCEPT_UNSIGNED
#if defined(CONFIG_SECURE_BOOT) && CONFIG_SECURE_BOOT
#error "CONFIG_NF_OTA_IFU_ACCEPT_UNSIGNED is for development boards: it cannot be on with secure boot"
#endif
    return true;
#else
    return false;
#endif
}
