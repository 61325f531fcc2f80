/*
 * Complete's checks on an image written by a session, read back from flash: its structure, the
 * SHA-256 TLV over header, payload and protected TLVs, the EC P-256 signature against a key
 * built into the firmware (MCUboot would check it at boot; on the ESP-IDF bootloader nobody else
 * will), and its dependencies against the firmware it will run with.
 */
#include <string.h>

#include "nf_ota_crypto.h"
#include "nf_ota_ifu_internal.h"
#include "nf_ota_status.h"

#define READ_STEP 256u
#define ALLOWED_FLAGS (NF_OTA_IFU_FLAG_PIC | NF_OTA_IFU_FLAG_ROM_FIXED)

static uint8_t s_tlvs[NF_OTA_IFU_MAX_TLVS];

/* Feed [offset, offset + length) of a partition, read through decryption, to one or two digests. */
static int32_t hash_range(const esp_partition_t *partition, uint32_t offset, uint32_t length, nf_ota_sha256_t *image, nf_ota_sha256_t *payload)
{
    uint8_t step[READ_STEP];
    for (uint32_t done = 0; done < length;)
    {
        uint32_t n = length - done < READ_STEP ? length - done : READ_STEP;
        if (nf_ota_ifu_read(partition, offset + done, step, n) != NF_OTA_OK)
        {
            return NF_OTA_IFU_FLASH_ERROR;
        }
        nf_ota_sha256_update(image, step, n);
        if (payload != NULL)
        {
            nf_ota_sha256_update(payload, step, n);
        }
        done += n;
    }
    return NF_OTA_IFU_SUCCESS;
}

/* SHA-256 over what the hash TLV covers, and of the payload alone (the app record keeps that). */
static int32_t hash_image(const esp_partition_t *partition, const nf_ota_ifu_header_t *header, uint8_t digest[32], uint8_t payload_digest[32])
{
    nf_ota_sha256_t image, payload;
    if (nf_ota_sha256_start(&image) != NF_OTA_OK)
    {
        return NF_OTA_IFU_FLASH_ERROR;
    }
    if (nf_ota_sha256_start(&payload) != NF_OTA_OK)
    {
        nf_ota_sha256_free(&image);
        return NF_OTA_IFU_FLASH_ERROR;
    }
    uint32_t header_at = nf_ota_ifu_header_sector_at(partition) + NF_OTA_IFU_HEADER_AT;
    int32_t result = hash_range(partition, header_at, header->header_size, &image, NULL);
    if (result == NF_OTA_IFU_SUCCESS)
    {
        result = hash_range(partition, 0, header->image_size, &image, &payload);
    }
    if (result == NF_OTA_IFU_SUCCESS)
    {
        nf_ota_sha256_update(&image, s_tlvs, header->protected_tlv_size);
        if (nf_ota_sha256_peek(&image, digest) != NF_OTA_OK || nf_ota_sha256_peek(&payload, payload_digest) != NF_OTA_OK)
        {
            result = NF_OTA_IFU_FLASH_ERROR;
        }
    }
    nf_ota_sha256_free(&image);
    nf_ota_sha256_free(&payload);
    return result;
}

/* The trusted key a KEYHASH or PUBKEY TLV names, or NULL. */
static const uint8_t *find_key(const nf_ota_ifu_tlvs_t *tlvs)
{
    const uint8_t *named = tlvs->public_key != NULL ? nf_ota_ifu_spki_point(tlvs->public_key, tlvs->public_key_length) : NULL;
    for (size_t i = 0; i < nf_ota_ifu_trusted_key_count(); i++)
    {
        const uint8_t *key = nf_ota_ifu_trusted_key(i);
        if (named != NULL && memcmp(named, key, 65) == 0)
        {
            return key;
        }
        if (tlvs->key_hash != NULL)
        {
            uint8_t spki[NF_OTA_IFU_SPKI_LENGTH];
            uint8_t hash[32];
            size_t length = 0;
            nf_ota_ifu_spki_from_point(key, spki);
            if (psa_hash_compute(PSA_ALG_SHA_256, spki, sizeof(spki), hash, sizeof(hash), &length) == PSA_SUCCESS
                && memcmp(hash, tlvs->key_hash, 32) == 0)
            {
                return key;
            }
        }
    }
    return NULL;
}

static int32_t check_signature(const nf_ota_ifu_tlvs_t *tlvs, const uint8_t digest[32], int32_t *detail)
{
    if (tlvs->signature == NULL)
    {
        if (nf_ota_ifu_accepts_unsigned())
        {
            return NF_OTA_IFU_SUCCESS;
        }
        *detail = tlvs->other_signature ? NF_OTA_IFU_DETAIL_UNSUPPORTED_SIGNATURE : NF_OTA_IFU_DETAIL_NO_SIGNATURE;
        return NF_OTA_IFU_BAD_TLV;
    }
    const uint8_t *key = find_key(tlvs);
    if (key == NULL)
    {
        *detail = NF_OTA_IFU_DETAIL_UNKNOWN_KEY;
        return NF_OTA_IFU_BAD_TLV;
    }
    uint8_t raw[64];
    if (!nf_ota_ifu_der_signature_to_raw(tlvs->signature, tlvs->signature_length, raw) || nf_ota_p256_verify_digest(key, digest, raw) != NF_OTA_OK)
    {
        *detail = NF_OTA_IFU_DETAIL_SIGNATURE_INVALID;
        return NF_OTA_IFU_BAD_TLV;
    }
    return NF_OTA_IFU_SUCCESS;
}

/* Every dependency on the other image is met by the version it will run with; none on others. */
static int32_t check_dependencies(int32_t image, const nf_ota_ifu_tlvs_t *tlvs, int32_t *detail)
{
    for (size_t i = 0; i < tlvs->dependency_count; i++)
    {
        const nf_ota_ifu_dependency_t *dependency = &tlvs->dependencies[i];
        nf_ota_ifu_version_t version;
        bool met = dependency->image_id < NF_OTA_IFU_IMAGE_COUNT && dependency->image_id != image
                   && nf_ota_ifu_effective_version(dependency->image_id, &version)
                   && nf_ota_ifu_version_compare(&version, &dependency->min_version) >= 0;
        if (!met)
        {
            *detail = NF_OTA_IFU_DETAIL_DEPENDENCY_UNMET;
            return NF_OTA_IFU_BAD_TLV;
        }
    }
    return NF_OTA_IFU_SUCCESS;
}

int32_t nf_ota_ifu_verify(const nf_ota_ifu_pair_t *pair, int32_t image, uint32_t total, int32_t *detail, uint8_t payload_sha256[32])
{
    const esp_partition_t *partition = nf_ota_ifu_partition(pair, image);
    uint8_t bytes[NF_OTA_IFU_HEADER_LENGTH];
    nf_ota_ifu_header_t header;
    if (nf_ota_ifu_read(partition, nf_ota_ifu_header_sector_at(partition) + NF_OTA_IFU_HEADER_AT, bytes, sizeof(bytes)) != NF_OTA_OK)
    {
        return NF_OTA_IFU_FLASH_ERROR;
    }
    if (nf_ota_ifu_parse_header(bytes, &header) != NF_OTA_IFU_SUCCESS)
    {
        return NF_OTA_IFU_BAD_MAGIC;
    }
    if ((header.flags & ~ALLOWED_FLAGS) != 0)
    {
        *detail = NF_OTA_IFU_DETAIL_UNSUPPORTED_FLAGS;
        return NF_OTA_IFU_BAD_TLV;
    }
    nf_ota_ifu_tlvs_t tlvs;
    int32_t result = nf_ota_ifu_read_tlvs(partition, &header, total, s_tlvs, &tlvs);
    if (result != NF_OTA_IFU_SUCCESS)
    {
        *detail = NF_OTA_IFU_DETAIL_TLV_MALFORMED;
        return result;
    }
    if (tlvs.sha256 == NULL)
    {
        *detail = NF_OTA_IFU_DETAIL_NO_HASH_TLV;
        return NF_OTA_IFU_BAD_TLV;
    }
    uint8_t digest[32];
    result = hash_image(partition, &header, digest, payload_sha256);
    if (result != NF_OTA_IFU_SUCCESS)
    {
        return result;
    }
    if (memcmp(digest, tlvs.sha256, 32) != 0)
    {
        *detail = NF_OTA_IFU_DETAIL_HASH_MISMATCH;
        return NF_OTA_IFU_HASH_MISMATCH;
    }
    result = check_signature(&tlvs, digest, detail);
    return result == NF_OTA_IFU_SUCCESS ? check_dependencies(image, &tlvs, detail) : result;
}
