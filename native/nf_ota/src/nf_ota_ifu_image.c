/*
 * MCUboot's image format, parsed from RAM (see nf_ota_ifu_image.h). Every length read from the
 * image is checked against the area it claims to lie in before it is used.
 */
#include <string.h>

#include "nf_ota_ifu_image.h"

/* SubjectPublicKeyInfo DER of an EC P-256 key, up to the point: SEQUENCE { SEQUENCE { id-ecPublicKey,
 * prime256v1 }, BIT STRING (0 unused bits) }. */
static const uint8_t SPKI_P256_PREFIX[26] = {
    0x30, 0x59, 0x30, 0x13, 0x06, 0x07, 0x2a, 0x86, 0x48, 0xce, 0x3d, 0x02, 0x01,
    0x06, 0x08, 0x2a, 0x86, 0x48, 0xce, 0x3d, 0x03, 0x01, 0x07, 0x03, 0x42, 0x00};

#define TLV_RSA2048_PSS 0x20
#define TLV_ED25519 0x24
#define TLV_SIG_PURE 0x25
#define TLV_ECDSA224 0x21
#define TLV_RSA3072_PSS 0x23
#define DEPENDENCY_LENGTH 12

static uint16_t get_u16(const uint8_t *at)
{
    return (uint16_t)(at[0] | (at[1] << 8));
}

static uint32_t get_u32(const uint8_t *at)
{
    return (uint32_t)at[0] | ((uint32_t)at[1] << 8) | ((uint32_t)at[2] << 16) | ((uint32_t)at[3] << 24);
}

static void get_version(const uint8_t *at, nf_ota_ifu_version_t *version)
{
    version->major = at[0];
    version->minor = at[1];
    version->revision = get_u16(at + 2);
    version->build = get_u32(at + 4);
}

int32_t nf_ota_ifu_parse_header(const uint8_t bytes[NF_OTA_IFU_HEADER_LENGTH], nf_ota_ifu_header_t *header)
{
    memset(header, 0, sizeof(*header));
    if (get_u32(bytes) != NF_OTA_IFU_IMAGE_MAGIC)
    {
        return NF_OTA_IFU_BAD_MAGIC;
    }
    header->load_address = get_u32(bytes + 4);
    header->header_size = get_u16(bytes + 8);
    header->protected_tlv_size = get_u16(bytes + 10);
    header->image_size = get_u32(bytes + 12);
    header->flags = get_u32(bytes + 16);
    get_version(bytes + 20, &header->version);
    if (header->header_size < NF_OTA_IFU_HEADER_LENGTH || header->image_size > 0x7fffffffu - 0x20000u)
    {
        return NF_OTA_IFU_BAD_MAGIC;
    }
    return NF_OTA_IFU_SUCCESS;
}

uint32_t nf_ota_ifu_hashed_length(const nf_ota_ifu_header_t *header)
{
    return (uint32_t)header->header_size + header->image_size + header->protected_tlv_size;
}

uint32_t nf_ota_ifu_tlv_area_length(const uint8_t info[4])
{
    return get_u16(info) == NF_OTA_IFU_TLV_INFO_MAGIC ? get_u16(info + 2) : 0;
}

static bool is_other_signature(uint16_t type)
{
    return type == TLV_RSA2048_PSS || type == TLV_ECDSA224 || type == TLV_RSA3072_PSS || type == TLV_ED25519 || type == TLV_SIG_PURE;
}

/* One area: its info (magic, total length including the info), then TLVs up to exactly that total. */
static int32_t walk(const uint8_t *area, size_t length, uint16_t magic, bool is_protected, nf_ota_ifu_tlvs_t *tlvs)
{
    if (length < 4 || get_u16(area) != magic || get_u16(area + 2) != length)
    {
        return NF_OTA_IFU_BAD_TLV;
    }
    for (size_t at = 4; at < length;)
    {
        if (length - at < 4)
        {
            return NF_OTA_IFU_BAD_TLV;
        }
        uint16_t type = get_u16(area + at);
        uint16_t size = get_u16(area + at + 2);
        const uint8_t *data = area + at + 4;
        if (size > length - at - 4)
        {
            return NF_OTA_IFU_BAD_TLV;
        }
        if (is_protected)
        {
            if (type == NF_OTA_IFU_TLV_DEPENDENCY)
            {
                if (size != DEPENDENCY_LENGTH || tlvs->dependency_count == NF_OTA_IFU_MAX_DEPENDENCIES)
                {
                    return NF_OTA_IFU_BAD_TLV;
                }
                nf_ota_ifu_dependency_t *dependency = &tlvs->dependencies[tlvs->dependency_count++];
                dependency->image_id = data[0];
                get_version(data + 4, &dependency->min_version);
            }
        }
        else if (type == NF_OTA_IFU_TLV_SHA256)
        {
            if (size != 32 || tlvs->sha256 != NULL)
            {
                return NF_OTA_IFU_BAD_TLV;
            }
            tlvs->sha256 = data;
        }
        else if (type == NF_OTA_IFU_TLV_KEYHASH)
        {
            if (size != 32)
            {
                return NF_OTA_IFU_BAD_TLV;
            }
            tlvs->key_hash = data;
        }
        else if (type == NF_OTA_IFU_TLV_PUBKEY)
        {
            tlvs->public_key = data;
            tlvs->public_key_length = size;
        }
        else if (type == NF_OTA_IFU_TLV_ECDSA_SIG)
        {
            tlvs->signature = data;
            tlvs->signature_length = size;
        }
        else if (is_other_signature(type))
        {
            tlvs->other_signature = true;
        }
        at += 4u + size;
    }
    return NF_OTA_IFU_SUCCESS;
}

int32_t nf_ota_ifu_parse_tlvs(const uint8_t *protected_area, size_t protected_length, const uint8_t *area, size_t area_length,
    nf_ota_ifu_tlvs_t *tlvs)
{
    memset(tlvs, 0, sizeof(*tlvs));
    if (protected_length > 0)
    {
        int32_t status = walk(protected_area, protected_length, NF_OTA_IFU_TLV_PROT_INFO_MAGIC, true, tlvs);
        if (status != NF_OTA_IFU_SUCCESS)
        {
            return status;
        }
    }
    return walk(area, area_length, NF_OTA_IFU_TLV_INFO_MAGIC, false, tlvs);
}

int nf_ota_ifu_version_compare(const nf_ota_ifu_version_t *a, const nf_ota_ifu_version_t *b)
{
    if (a->major != b->major)
    {
        return a->major < b->major ? -1 : 1;
    }
    if (a->minor != b->minor)
    {
        return a->minor < b->minor ? -1 : 1;
    }
    if (a->revision != b->revision)
    {
        return a->revision < b->revision ? -1 : 1;
    }
    return 0;
}

/* A decimal number at text[*at], at most `limit`; false when there is no digit or it is too large. */
static bool read_number(const char *text, size_t length, size_t *at, uint32_t limit, uint32_t *value)
{
    uint32_t number = 0;
    size_t start = *at;
    while (*at < length && text[*at] >= '0' && text[*at] <= '9')
    {
        number = number * 10u + (uint32_t)(text[*at] - '0');
        if (number > limit)
        {
            return false;
        }
        (*at)++;
    }
    *value = number;
    return *at > start;
}

bool nf_ota_ifu_version_from_text(const char *text, size_t length, nf_ota_ifu_version_t *version)
{
    memset(version, 0, sizeof(*version));
    size_t at = 0;
    if (at < length && (text[at] == 'v' || text[at] == 'V'))
    {
        at++;
    }
    uint32_t parts[4] = {0, 0, 0, 0};
    static const uint32_t limits[4] = {0xffu, 0xffu, 0xffffu, 0xffffffffu / 10u};
    size_t count = 0;
    while (count < 4)
    {
        size_t start = at;
        if (!read_number(text, length, &at, limits[count], &parts[count]))
        {
            if (at > start)
            {
                return false; /* a part too wide for MCUboot's field: no version rather than a wrong one */
            }
            break;
        }
        count++;
        /* 1.2.3.4 and 1.2.3+4 both give build 4; anything else ends the version. */
        if (at < length && (text[at] == '.' || (count == 3 && text[at] == '+')))
        {
            at++;
            continue;
        }
        break;
    }
    if (count == 0)
    {
        return false;
    }
    version->major = (uint8_t)parts[0];
    version->minor = (uint8_t)parts[1];
    version->revision = (uint16_t)parts[2];
    version->build = parts[3];
    return true;
}

/* One DER INTEGER at der[*at] into a 32-byte big-endian field. */
static bool read_integer(const uint8_t *der, size_t end, size_t *at, uint8_t out[32])
{
    if (*at + 2 > end || der[*at] != 0x02)
    {
        return false;
    }
    size_t length = der[*at + 1];
    *at += 2;
    if (length == 0 || length > end - *at || length > 33)
    {
        return false;
    }
    const uint8_t *value = der + *at;
    *at += length;
    if (length == 33)
    {
        if (value[0] != 0)
        {
            return false;
        }
        value++;
        length--;
    }
    memset(out, 0, 32);
    memcpy(out + (32 - length), value, length);
    return true;
}

bool nf_ota_ifu_der_signature_to_raw(const uint8_t *der, size_t length, uint8_t raw[64])
{
    if (der == NULL || length < 8 || der[0] != 0x30 || der[1] > 0x7f || (size_t)der[1] + 2 > length)
    {
        return false;
    }
    size_t end = (size_t)der[1] + 2;
    size_t at = 2;
    return read_integer(der, end, &at, raw) && read_integer(der, end, &at, raw + 32) && at == end;
}

const uint8_t *nf_ota_ifu_spki_point(const uint8_t *der, size_t length)
{
    if (der == NULL || length < NF_OTA_IFU_SPKI_LENGTH || memcmp(der, SPKI_P256_PREFIX, sizeof(SPKI_P256_PREFIX)) != 0)
    {
        return NULL;
    }
    return der[sizeof(SPKI_P256_PREFIX)] == 0x04 ? der + sizeof(SPKI_P256_PREFIX) : NULL;
}

void nf_ota_ifu_spki_from_point(const uint8_t point[65], uint8_t der[NF_OTA_IFU_SPKI_LENGTH])
{
    memcpy(der, SPKI_P256_PREFIX, sizeof(SPKI_P256_PREFIX));
    memcpy(der + sizeof(SPKI_P256_PREFIX), point, 65);
}
