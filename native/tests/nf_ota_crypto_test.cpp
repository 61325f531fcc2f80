// ECDSA P-256 verification through mbedTLS, with keys and signatures made by mbedTLS here
// (the C# tests verify signatures made by .NET through the host binding).
#include <gtest/gtest.h>

#include <cstring>
#include <vector>

#include "mbedtls/ctr_drbg.h"
#include "mbedtls/ecdsa.h"
#include "mbedtls/entropy.h"
#include "mbedtls/md.h"

// mbedTLS 3 hides struct members behind MBEDTLS_PRIVATE; 2.28 (Debian 12) has no such macro.
#ifndef MBEDTLS_PRIVATE
#define MBEDTLS_PRIVATE(member) member
#endif

extern "C" {
#include "nf_ota_crypto.h"
#include "nf_ota_status.h"
}

namespace {

class P256 : public ::testing::Test
{
  protected:
    void SetUp() override
    {
        mbedtls_entropy_init(&entropy);
        mbedtls_ctr_drbg_init(&drbg);
        ASSERT_EQ(0, mbedtls_ctr_drbg_seed(&drbg, mbedtls_entropy_func, &entropy, nullptr, 0));
        mbedtls_ecdsa_init(&key);
        ASSERT_EQ(0, mbedtls_ecdsa_genkey(&key, MBEDTLS_ECP_DP_SECP256R1, mbedtls_ctr_drbg_random, &drbg));
        size_t length = 0;
        ASSERT_EQ(0, mbedtls_ecp_point_write_binary(&key.MBEDTLS_PRIVATE(grp), &key.MBEDTLS_PRIVATE(Q), MBEDTLS_ECP_PF_UNCOMPRESSED, &length, publicKey, sizeof publicKey));
        ASSERT_EQ(65u, length);
    }

    void TearDown() override
    {
        mbedtls_ecdsa_free(&key);
        mbedtls_ctr_drbg_free(&drbg);
        mbedtls_entropy_free(&entropy);
    }

    std::vector<uint8_t> Sign(const uint8_t *message, size_t length)
    {
        uint8_t digest[32];
        mbedtls_md(mbedtls_md_info_from_type(MBEDTLS_MD_SHA256), message, length, digest);
        mbedtls_mpi r, s;
        mbedtls_mpi_init(&r);
        mbedtls_mpi_init(&s);
        EXPECT_EQ(0, mbedtls_ecdsa_sign(&key.MBEDTLS_PRIVATE(grp), &r, &s, &key.MBEDTLS_PRIVATE(d), digest, 32, mbedtls_ctr_drbg_random, &drbg));
        std::vector<uint8_t> signature(64);
        mbedtls_mpi_write_binary(&r, signature.data(), 32);
        mbedtls_mpi_write_binary(&s, signature.data() + 32, 32);
        mbedtls_mpi_free(&r);
        mbedtls_mpi_free(&s);
        return signature;
    }

    mbedtls_entropy_context entropy;
    mbedtls_ctr_drbg_context drbg;
    mbedtls_ecdsa_context key;
    uint8_t publicKey[65];
};

TEST_F(P256, AcceptsAGoodSignatureAndRefusesAnyChange)
{
    const char *text = "{\"version\":\"2.0.0\",\"size\":123456}";
    auto message = reinterpret_cast<const uint8_t *>(text);
    size_t length = std::strlen(text);
    auto signature = Sign(message, length);
    EXPECT_EQ(NF_OTA_OK, nf_ota_p256_verify(publicKey, message, length, signature.data()));

    std::vector<uint8_t> changed(message, message + length);
    changed[5] ^= 1;
    EXPECT_EQ(NF_OTA_SIGNATURE_INVALID, nf_ota_p256_verify(publicKey, changed.data(), length, signature.data()));
    EXPECT_EQ(NF_OTA_SIGNATURE_INVALID, nf_ota_p256_verify(publicKey, message, length - 1, signature.data()));
    for (size_t at : {0u, 31u, 32u, 63u})
    {
        auto bad = signature;
        bad[at] ^= 0x80;
        EXPECT_EQ(NF_OTA_SIGNATURE_INVALID, nf_ota_p256_verify(publicKey, message, length, bad.data())) << at;
    }
}

TEST_F(P256, RefusesKeysThatAreNotUncompressedCurvePoints)
{
    uint8_t message[1] = {1};
    auto signature = Sign(message, 1);
    uint8_t key[65];
    std::memcpy(key, publicKey, 65);
    key[0] = 0x02;
    EXPECT_EQ(NF_OTA_KEY_INVALID, nf_ota_p256_verify(key, message, 1, signature.data()));
    std::memcpy(key, publicKey, 65);
    key[64] ^= 1;  // (x, y+1) is not on the curve
    EXPECT_EQ(NF_OTA_KEY_INVALID, nf_ota_p256_verify(key, message, 1, signature.data()));
}

TEST(Sha256, PeekLeavesTheRunningDigestUsable)
{
    nf_ota_sha256_t hash;
    ASSERT_EQ(NF_OTA_OK, nf_ota_sha256_start(&hash));
    nf_ota_sha256_update(&hash, reinterpret_cast<const uint8_t *>("ab"), 2);
    uint8_t first[32];
    ASSERT_EQ(NF_OTA_OK, nf_ota_sha256_peek(&hash, first));
    nf_ota_sha256_update(&hash, reinterpret_cast<const uint8_t *>("c"), 1);
    uint8_t second[32];
    ASSERT_EQ(NF_OTA_OK, nf_ota_sha256_peek(&hash, second));
    // SHA-256("abc") = ba7816bf...
    EXPECT_EQ(0xba, second[0]);
    EXPECT_EQ(0x78, second[1]);
    EXPECT_EQ(0xad, second[31]);
    EXPECT_NE(0, std::memcmp(first, second, 32));
    nf_ota_sha256_free(&hash);
    EXPECT_EQ(NF_OTA_DIGEST_UNAVAILABLE, nf_ota_sha256_peek(&hash, second));
}

}  // namespace
