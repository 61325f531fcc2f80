/*
 * MCUboot's image format (v2.3.0 layout), parsed from bytes already in RAM: no I/O here.
 *
 *   header (32 bytes, padded to hdr_size) | payload (img_size) | protected TLVs | TLVs
 *
 * The hash TLV (SHA-256) covers everything before the unprotected TLV info; the signature is
 * over that hash. Dependencies and the security counter count only in the protected area.
 */
#ifndef NF_OTA_IFU_IMAGE_H
#define NF_OTA_IFU_IMAGE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "nf_ota_ifu.h"

#define NF_OTA_IFU_HEADER_LENGTH 32
#define NF_OTA_IFU_IMAGE_MAGIC 0x96f3b83du
#define NF_OTA_IFU_TLV_INFO_MAGIC 0x6907u
#define NF_OTA_IFU_TLV_PROT_INFO_MAGIC 0x6908u

#define NF_OTA_IFU_TLV_KEYHASH 0x01
#define NF_OTA_IFU_TLV_PUBKEY 0x02
#define NF_OTA_IFU_TLV_SHA256 0x10
#define NF_OTA_IFU_TLV_ECDSA_SIG 0x22
#define NF_OTA_IFU_TLV_DEPENDENCY 0x40
#define NF_OTA_IFU_MAX_DEPENDENCIES 4

/* Flags an image may carry here: encrypted, compressed or RAM-loaded images are MCUboot's own. */
#define NF_OTA_IFU_FLAG_PIC 0x1u
#define NF_OTA_IFU_FLAG_NON_BOOTABLE 0x10u
#define NF_OTA_IFU_FLAG_ROM_FIXED 0x100u

typedef struct {
    uint32_t load_address;
    uint16_t header_size;
    uint16_t protected_tlv_size;
    uint32_t image_size;
    uint32_t flags;
    nf_ota_ifu_version_t version;
} nf_ota_ifu_header_t;

typedef struct {
    uint8_t image_id;
    nf_ota_ifu_version_t min_version;
} nf_ota_ifu_dependency_t;

/* What the TLV areas say. Pointers point into the caller's buffer. */
typedef struct {
    const uint8_t *sha256;      /* 32 bytes, or NULL */
    const uint8_t *key_hash;    /* 32 bytes, or NULL */
    const uint8_t *public_key;  /* SubjectPublicKeyInfo DER, or NULL */
    size_t public_key_length;
    const uint8_t *signature;   /* ECDSA DER, or NULL */
    size_t signature_length;
    bool other_signature;       /* a signature TLV of a kind not checked here (RSA, ed25519, ...) */
    size_t dependency_count;
    nf_ota_ifu_dependency_t dependencies[NF_OTA_IFU_MAX_DEPENDENCIES];
} nf_ota_ifu_tlvs_t;

/* The 32-byte header: NF_OTA_IFU_SUCCESS or NF_OTA_IFU_BAD_MAGIC (wrong magic, header_size under 32). */
int32_t nf_ota_ifu_parse_header(const uint8_t bytes[NF_OTA_IFU_HEADER_LENGTH], nf_ota_ifu_header_t *header);

/* Bytes from the image's start to the unprotected TLV info: what the hash covers. */
uint32_t nf_ota_ifu_hashed_length(const nf_ota_ifu_header_t *header);

/*
 * Walk the protected area (protected_tlv_size bytes, may be 0) and the unprotected area (starting
 * with its info). NF_OTA_IFU_SUCCESS or NF_OTA_IFU_BAD_TLV (a bad magic, a size that disagrees, a
 * TLV running past its area, a hash TLV that is not 32 bytes, too many dependencies).
 */
int32_t nf_ota_ifu_parse_tlvs(const uint8_t *protected_area, size_t protected_length, const uint8_t *area, size_t area_length,
    nf_ota_ifu_tlvs_t *tlvs);

/* The unprotected area's length from its 4-byte info (0 when the magic is wrong). */
uint32_t nf_ota_ifu_tlv_area_length(const uint8_t info[4]);

/* -1, 0 or 1 as a is older, the same as or newer than b; the build number is not compared (MCUboot's default). */
int nf_ota_ifu_version_compare(const nf_ota_ifu_version_t *a, const nf_ota_ifu_version_t *b);

/* An ESP-IDF app version ("1.2.3", "1.2.3.4", "v1.2.3+4", "1.2.3-rc1") as an MCUboot version; false when it starts with no number. */
bool nf_ota_ifu_version_from_text(const char *text, size_t length, nf_ota_ifu_version_t *version);

/* An ECDSA signature in DER (SEQUENCE of two INTEGERs) as r||s, 32 bytes each. imgtool may pad the
 * TLV with zeros after the DER: they are ignored. */
bool nf_ota_ifu_der_signature_to_raw(const uint8_t *der, size_t length, uint8_t raw[64]);

/* The uncompressed P-256 point in a SubjectPublicKeyInfo DER, or NULL. */
const uint8_t *nf_ota_ifu_spki_point(const uint8_t *der, size_t length);

/* The SubjectPublicKeyInfo DER of a P-256 point (91 bytes): what MCUboot's KEYHASH hashes. */
#define NF_OTA_IFU_SPKI_LENGTH 91
void nf_ota_ifu_spki_from_point(const uint8_t point[65], uint8_t der[NF_OTA_IFU_SPKI_LENGTH]);

#endif /* NF_OTA_IFU_IMAGE_H */
