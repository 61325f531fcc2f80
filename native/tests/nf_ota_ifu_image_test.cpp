// MCUboot's format as nf_ota_ifu_image.c reads it: the parts the device trusts (lengths from the
// image, the signature's DER, the TLV walk) against images of known shape, including the ways a
// hostile image can lie about its sizes.
#include <gtest/gtest.h>

#include <cstring>
#include <vector>

extern "C" {
#include "nf_ota_ifu_image.h"
}

namespace
{
std::vector<uint8_t> Tlv(uint16_t type, const std::vector<uint8_t> &data)
{
    std::vector<uint8_t> bytes = {(uint8_t)type, (uint8_t)(type >> 8), (uint8_t)data.size(), (uint8_t)(data.size() >> 8)};
    bytes.insert(bytes.end(), data.begin(), data.end());
    return bytes;
}

std::vector<uint8_t> Area(uint16_t magic, const std::vector<std::vector<uint8_t>> &tlvs)
{
    std::vector<uint8_t> body;
    for (const auto &tlv : tlvs)
    {
        body.insert(body.end(), tlv.begin(), tlv.end());
    }
    uint16_t total = (uint16_t)(body.size() + 4);
    std::vector<uint8_t> area = {(uint8_t)magic, (uint8_t)(magic >> 8), (uint8_t)total, (uint8_t)(total >> 8)};
    area.insert(area.end(), body.begin(), body.end());
    return area;
}

std::vector<uint8_t> Header(uint16_t header_size, uint16_t protected_size, uint32_t image_size)
{
    std::vector<uint8_t> h(32, 0);
    const uint32_t magic = NF_OTA_IFU_IMAGE_MAGIC;
    memcpy(h.data(), &magic, 4);
    h[8] = (uint8_t)header_size;
    h[9] = (uint8_t)(header_size >> 8);
    h[10] = (uint8_t)protected_size;
    h[11] = (uint8_t)(protected_size >> 8);
    memcpy(h.data() + 12, &image_size, 4);
    h[20] = 1;
    h[21] = 2;
    h[22] = 3;
    h[24] = 4;
    return h;
}
} // namespace

TEST(IfuImage, TheHeaderGivesItsSizesAndVersion)
{
    nf_ota_ifu_header_t header;
    ASSERT_EQ(NF_OTA_IFU_SUCCESS, nf_ota_ifu_parse_header(Header(0x200, 0, 65549).data(), &header));
    EXPECT_EQ(0x200, header.header_size);
    EXPECT_EQ(65549u, header.image_size);
    EXPECT_EQ(0x200u + 65549u, nf_ota_ifu_hashed_length(&header));
    EXPECT_EQ(1, header.version.major);
    EXPECT_EQ(3, header.version.revision);
    EXPECT_EQ(4u, header.version.build);
}

TEST(IfuImage, AWrongMagicOrAHeaderShorterThanItselfIsRefused)
{
    nf_ota_ifu_header_t header;
    auto bytes = Header(0x200, 0, 100);
    bytes[0] ^= 1;
    EXPECT_EQ(NF_OTA_IFU_BAD_MAGIC, nf_ota_ifu_parse_header(bytes.data(), &header));
    EXPECT_EQ(NF_OTA_IFU_BAD_MAGIC, nf_ota_ifu_parse_header(Header(31, 0, 100).data(), &header));
    // An image size whose sum with the header would wrap.
    EXPECT_EQ(NF_OTA_IFU_BAD_MAGIC, nf_ota_ifu_parse_header(Header(0x200, 0, 0xFFFFFFF0u).data(), &header));
}

TEST(IfuImage, TheTlvAreasGiveHashKeySignatureAndProtectedDependencies)
{
    std::vector<uint8_t> hash(32, 0xAB), key_hash(32, 0xCD), signature = {0x30, 0x06, 0x02, 0x01, 0x05, 0x02, 0x01, 0x07};
    std::vector<uint8_t> dependency = {0, 0, 0, 0, 1, 5, 0, 0, 0, 0, 0, 0};
    auto protected_area = Area(NF_OTA_IFU_TLV_PROT_INFO_MAGIC, {Tlv(NF_OTA_IFU_TLV_DEPENDENCY, dependency)});
    auto area = Area(NF_OTA_IFU_TLV_INFO_MAGIC, {Tlv(NF_OTA_IFU_TLV_SHA256, hash), Tlv(NF_OTA_IFU_TLV_KEYHASH, key_hash), Tlv(NF_OTA_IFU_TLV_ECDSA_SIG, signature)});
    nf_ota_ifu_tlvs_t tlvs;

    ASSERT_EQ(NF_OTA_IFU_SUCCESS, nf_ota_ifu_parse_tlvs(protected_area.data(), protected_area.size(), area.data(), area.size(), &tlvs));

    EXPECT_EQ(0, memcmp(tlvs.sha256, hash.data(), 32));
    EXPECT_EQ(0, memcmp(tlvs.key_hash, key_hash.data(), 32));
    EXPECT_EQ(signature.size(), tlvs.signature_length);
    ASSERT_EQ(1u, tlvs.dependency_count);
    EXPECT_EQ(0, tlvs.dependencies[0].image_id);
    EXPECT_EQ(1, tlvs.dependencies[0].min_version.major);
    EXPECT_EQ(5, tlvs.dependencies[0].min_version.minor);
}

TEST(IfuImage, ADependencyOutsideTheProtectedAreaDoesNotCount)
{
    std::vector<uint8_t> dependency = {0, 0, 0, 0, 9, 0, 0, 0, 0, 0, 0, 0};
    auto area = Area(NF_OTA_IFU_TLV_INFO_MAGIC, {Tlv(NF_OTA_IFU_TLV_SHA256, std::vector<uint8_t>(32, 1)), Tlv(NF_OTA_IFU_TLV_DEPENDENCY, dependency)});
    nf_ota_ifu_tlvs_t tlvs;
    ASSERT_EQ(NF_OTA_IFU_SUCCESS, nf_ota_ifu_parse_tlvs(nullptr, 0, area.data(), area.size(), &tlvs));
    EXPECT_EQ(0u, tlvs.dependency_count);
}

TEST(IfuImage, AreasThatLieAboutTheirLengthsAreBadTlv)
{
    nf_ota_ifu_tlvs_t tlvs;
    auto area = Area(NF_OTA_IFU_TLV_INFO_MAGIC, {Tlv(NF_OTA_IFU_TLV_SHA256, std::vector<uint8_t>(32, 1))});
    // The area's total says more than there is.
    EXPECT_EQ(NF_OTA_IFU_BAD_TLV, nf_ota_ifu_parse_tlvs(nullptr, 0, area.data(), area.size() - 1, &tlvs));
    // A TLV that runs past its area.
    auto overrun = area;
    overrun[6] = 0x40;
    EXPECT_EQ(NF_OTA_IFU_BAD_TLV, nf_ota_ifu_parse_tlvs(nullptr, 0, overrun.data(), overrun.size(), &tlvs));
    // A last TLV whose data runs a few bytes past the area's end (the info total shortened to match).
    auto short_end = Area(NF_OTA_IFU_TLV_INFO_MAGIC, {Tlv(NF_OTA_IFU_TLV_KEYHASH, std::vector<uint8_t>(32, 1))});
    short_end[2] = (uint8_t)(short_end.size() - 2);
    EXPECT_EQ(NF_OTA_IFU_BAD_TLV, nf_ota_ifu_parse_tlvs(nullptr, 0, short_end.data(), short_end.size() - 2, &tlvs));
    // The protected magic in the unprotected place, and a hash TLV that is not 32 bytes.
    auto wrong_magic = Area(NF_OTA_IFU_TLV_PROT_INFO_MAGIC, {Tlv(NF_OTA_IFU_TLV_SHA256, std::vector<uint8_t>(32, 1))});
    EXPECT_EQ(NF_OTA_IFU_BAD_TLV, nf_ota_ifu_parse_tlvs(nullptr, 0, wrong_magic.data(), wrong_magic.size(), &tlvs));
    auto short_hash = Area(NF_OTA_IFU_TLV_INFO_MAGIC, {Tlv(NF_OTA_IFU_TLV_SHA256, std::vector<uint8_t>(31, 1))});
    EXPECT_EQ(NF_OTA_IFU_BAD_TLV, nf_ota_ifu_parse_tlvs(nullptr, 0, short_hash.data(), short_hash.size(), &tlvs));
    // A second hash TLV: which one would count?
    auto two = Area(NF_OTA_IFU_TLV_INFO_MAGIC, {Tlv(NF_OTA_IFU_TLV_SHA256, std::vector<uint8_t>(32, 1)), Tlv(NF_OTA_IFU_TLV_SHA256, std::vector<uint8_t>(32, 2))});
    EXPECT_EQ(NF_OTA_IFU_BAD_TLV, nf_ota_ifu_parse_tlvs(nullptr, 0, two.data(), two.size(), &tlvs));
    // Too many dependencies for the device's table.
    std::vector<std::vector<uint8_t>> many(NF_OTA_IFU_MAX_DEPENDENCIES + 1, Tlv(NF_OTA_IFU_TLV_DEPENDENCY, std::vector<uint8_t>(12, 0)));
    auto protected_area = Area(NF_OTA_IFU_TLV_PROT_INFO_MAGIC, many);
    EXPECT_EQ(NF_OTA_IFU_BAD_TLV, nf_ota_ifu_parse_tlvs(protected_area.data(), protected_area.size(), area.data(), area.size(), &tlvs));
}

TEST(IfuImage, ADerSignatureBecomesRAndSOf32BytesEach)
{
    // r with a leading zero (33 bytes), s short (31 bytes), and imgtool's zero padding after the DER.
    std::vector<uint8_t> r(33, 0x11), s(31, 0x22);
    r[0] = 0;
    r[1] = 0x80;
    std::vector<uint8_t> der = {0x30, (uint8_t)(2 + r.size() + 2 + s.size()), 0x02, (uint8_t)r.size()};
    der.insert(der.end(), r.begin(), r.end());
    der.push_back(0x02);
    der.push_back((uint8_t)s.size());
    der.insert(der.end(), s.begin(), s.end());
    der.push_back(0);
    der.push_back(0);
    uint8_t raw[64];

    ASSERT_TRUE(nf_ota_ifu_der_signature_to_raw(der.data(), der.size(), raw));

    EXPECT_EQ(0x80, raw[0]);
    EXPECT_EQ(0x11, raw[31]);
    EXPECT_EQ(0x00, raw[32]);
    EXPECT_EQ(0x22, raw[33]);
}

TEST(IfuImage, AMalformedDerSignatureIsRefused)
{
    uint8_t raw[64];
    const uint8_t not_a_sequence[] = {0x31, 0x06, 0x02, 0x01, 0x05, 0x02, 0x01, 0x07};
    const uint8_t too_long[] = {0x30, 0x40, 0x02, 0x01, 0x05, 0x02, 0x01, 0x07};
    const uint8_t extra_inside[] = {0x30, 0x07, 0x02, 0x01, 0x05, 0x02, 0x01, 0x07, 0x00};
    const uint8_t wide_integer[] = {0x30, 0x06, 0x02, 0x01, 0x05, 0x02, 0x22, 0x07};
    EXPECT_FALSE(nf_ota_ifu_der_signature_to_raw(not_a_sequence, sizeof(not_a_sequence), raw));
    EXPECT_FALSE(nf_ota_ifu_der_signature_to_raw(too_long, sizeof(too_long), raw));
    EXPECT_FALSE(nf_ota_ifu_der_signature_to_raw(extra_inside, sizeof(extra_inside), raw));
    EXPECT_FALSE(nf_ota_ifu_der_signature_to_raw(wide_integer, sizeof(wide_integer), raw));
}

TEST(IfuImage, AnAppVersionTextReadsAsAnMcubootVersion)
{
    nf_ota_ifu_version_t v;
    ASSERT_TRUE(nf_ota_ifu_version_from_text("v1.2.3+4", 8, &v));
    EXPECT_EQ(1, v.major);
    EXPECT_EQ(2, v.minor);
    EXPECT_EQ(3, v.revision);
    EXPECT_EQ(4u, v.build);
    ASSERT_TRUE(nf_ota_ifu_version_from_text("1.12.0.110", 10, &v));
    EXPECT_EQ(12, v.minor);
    EXPECT_EQ(110u, v.build);
    ASSERT_TRUE(nf_ota_ifu_version_from_text("2.0.0-rc1", 9, &v));
    EXPECT_EQ(2, v.major);
    EXPECT_EQ(0u, v.build);
    EXPECT_FALSE(nf_ota_ifu_version_from_text("abc", 3, &v));
    // A part too wide for MCUboot's field: no version rather than a wrong one.
    EXPECT_FALSE(nf_ota_ifu_version_from_text("256.1.0", 7, &v));
    EXPECT_FALSE(nf_ota_ifu_version_from_text("1.2.70000", 9, &v));
}

TEST(IfuImage, VersionsCompareWithoutTheBuildNumber)
{
    nf_ota_ifu_version_t a = {1, 5, 0, 9}, b = {1, 5, 0, 0}, c = {1, 4, 9, 0};
    EXPECT_EQ(0, nf_ota_ifu_version_compare(&a, &b));
    EXPECT_EQ(1, nf_ota_ifu_version_compare(&a, &c));
    EXPECT_EQ(-1, nf_ota_ifu_version_compare(&c, &b));
}

TEST(IfuImage, AP256KeyHasTheSpkiItsKeyHashCovers)
{
    uint8_t point[65];
    point[0] = 0x04;
    for (int i = 1; i < 65; i++)
    {
        point[i] = (uint8_t)i;
    }
    uint8_t der[NF_OTA_IFU_SPKI_LENGTH];
    nf_ota_ifu_spki_from_point(point, der);
    EXPECT_EQ(0x30, der[0]);
    EXPECT_EQ(0x59, der[1]);
    const uint8_t *back = nf_ota_ifu_spki_point(der, sizeof(der));
    ASSERT_NE(nullptr, back);
    EXPECT_EQ(0, memcmp(back, point, 65));
    der[10] ^= 1; // another curve's OID
    EXPECT_EQ(nullptr, nf_ota_ifu_spki_point(der, sizeof(der)));
}
