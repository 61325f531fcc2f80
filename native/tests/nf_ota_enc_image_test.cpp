// Pre-encrypted images (esp_encrypted_img): Espressif's own vectors (esp_enc_img_gen 2.7.1)
// decrypted through Begin(BeginDecrypt)/Write/End with the device key read from "nfota_key",
// and everything that must be refused before or instead of esp_ota_end.
#include <gtest/gtest.h>

#include <algorithm>
#include <cstring>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>

#include "fake_esp_idf.h"

extern "C" {
#include "nf_ota_handles.h"
#include "nf_ota_interop.h"
#include "nf_ota_status.h"
#include "nf_ota_unfinished.h"
#include "psa/crypto.h"
}

namespace {

using Bytes = std::vector<uint8_t>;

Bytes ReadFile(const std::string &path)
{
    std::ifstream file(path, std::ios::binary);
    EXPECT_TRUE(file.good()) << path;
    return Bytes(std::istreambuf_iterator<char>(file), std::istreambuf_iterator<char>());
}

Bytes Vector(const std::string &name) { return ReadFile(std::string(NF_OTA_VECTORS_DIR) + "/pre-encrypted-ota/" + name); }

Bytes Data(const std::string &name) { return ReadFile(std::string(NF_OTA_TEST_DATA_DIR) + "/" + name); }

void PutU32(Bytes &bytes, uint32_t value)
{
    for (int i = 0; i < 4; i++)
    {
        bytes.push_back(static_cast<uint8_t>(value >> (8 * i)));
    }
}

// nf_ota_device_key.h's layout, built independently of the C that reads it.
Bytes KeyPartition(int scheme, const Bytes &key)
{
    Bytes image = {'N', 'F', 'O', 'T', 'A', 'D', 'K', '1'};
    PutU32(image, static_cast<uint32_t>(scheme));
    PutU32(image, static_cast<uint32_t>(key.size()));
    image.insert(image.end(), key.begin(), key.end());
    uint8_t digest[32];
    size_t length = 0;
    EXPECT_EQ(PSA_SUCCESS, psa_crypto_init());
    EXPECT_EQ(PSA_SUCCESS, psa_hash_compute(PSA_ALG_SHA_256, image.data(), image.size(), digest, sizeof(digest), &length));
    image.insert(image.end(), digest, digest + 32);
    image.resize(4096, 0xFF);
    return image;
}

class EncryptedImage : public ::testing::Test
{
  protected:
    void SetUp() override { fake_reset(); }

    void Provision(int scheme, const Bytes &key, bool encrypted = true)
    {
        esp_partition_t p{};
        p.type = ESP_PARTITION_TYPE_DATA;
        p.subtype = static_cast<esp_partition_subtype_t>(0x4B);
        p.address = 0x3B8000;
        p.size = 0x1000;
        p.erase_size = 4096;
        p.encrypted = encrypted;
        std::strcpy(p.label, "nfota_key");
        fake().partitions.push_back(p);
        fake().data["nfota_key"] = KeyPartition(scheme, key);
    }

    void ProvisionRsa() { Provision(NF_OTA_DEVICE_KEY_RSA3072, Data("device-key-rsa3072.der")); }

    void ProvisionEcies() { Provision(NF_OTA_DEVICE_KEY_ECIES_P256, Data("device-key-ecies-p256.scalar")); }

    static int32_t Open(Bytes &file) { return nf_ota_NativeOta_OpenEncryptedImage(file.data(), NF_OTA_ENCRYPTED_HEADER_LENGTH, nullptr, 0); }

    // Open with the expected SHA-256 of the whole file (what the manifest's encrypted-sha256 says).
    static int32_t OpenExpecting(Bytes &file, Bytes digest)
    {
        return nf_ota_NativeOta_OpenEncryptedImage(file.data(), NF_OTA_ENCRYPTED_HEADER_LENGTH, digest.data(), static_cast<uint32_t>(digest.size()));
    }

    static Bytes Sha256(const Bytes &bytes)
    {
        Bytes digest(32);
        size_t length = 0;
        EXPECT_EQ(PSA_SUCCESS, psa_crypto_init());
        EXPECT_EQ(PSA_SUCCESS, psa_hash_compute(PSA_ALG_SHA_256, bytes.data(), bytes.size(), digest.data(), digest.size(), &length));
        return digest;
    }

    static uint32_t SizeOf(const Bytes &file)
    {
        return file[404] | (file[405] << 8) | (file[406] << 16) | (static_cast<uint32_t>(file[407]) << 24);
    }

    // Open (expecting `digest` as the file's SHA-256 when given), begin, write the ciphertext in
    // uneven chunks; returns End's status.
    static int32_t Install(Bytes &file, size_t cut = SIZE_MAX, const Bytes *digest = nullptr)
    {
        int32_t opened = digest != nullptr ? OpenExpecting(file, *digest) : Open(file);
        if (opened != NF_OTA_OK)
        {
            return opened;
        }
        int32_t handle = nf_ota_NativeOta_Begin("", static_cast<int32_t>(SizeOf(file)), NF_OTA_BEGIN_DECRYPT);
        EXPECT_GT(handle, 0);
        size_t end = std::min(cut, file.size());
        size_t chunks[] = {1, 15, 16, 17, 1000, 4096, 3};
        size_t at = NF_OTA_ENCRYPTED_HEADER_LENGTH;
        for (size_t i = 0; at < end; i++)
        {
            size_t n = std::min(chunks[i % 7], end - at);
            int32_t written = nf_ota_NativeOta_Write(handle, file.data(), static_cast<uint32_t>(file.size()), static_cast<int32_t>(at), static_cast<int32_t>(n));
            if (written != NF_OTA_OK)
            {
                (void)nf_ota_NativeOta_Abort(handle);
                return written;
            }
            at += n;
        }
        return nf_ota_NativeOta_End(handle);
    }
};

TEST_F(EncryptedImage, EspressifsRsaVectorsDecryptToThePlaintext)
{
    ProvisionRsa();
    for (const char *size : {"4096", "65659"})
    {
        Bytes file = Vector(std::string("enc-rsa3072-") + size + ".bin");
        ASSERT_EQ(NF_OTA_OK, Install(file)) << size;
        EXPECT_EQ(Vector(std::string("plain-") + size + ".bin"), fake().ended_image) << size;
    }
}

TEST_F(EncryptedImage, EspressifsEciesVectorsDecryptToThePlaintext)
{
    ProvisionEcies();
    for (const char *size : {"4096", "65659"})
    {
        Bytes file = Vector(std::string("enc-ecies-p256-") + size + ".bin");
        ASSERT_EQ(NF_OTA_OK, Install(file)) << size;
        EXPECT_EQ(Vector(std::string("plain-") + size + ".bin"), fake().ended_image) << size;
    }
}

TEST_F(EncryptedImage, TheHandlesDigestCoversThePlaintext)
{
    ProvisionRsa();
    Bytes file = Vector("enc-rsa3072-4096.bin");
    ASSERT_EQ(NF_OTA_OK, Open(file));
    int32_t handle = nf_ota_NativeOta_Begin("", 4096, NF_OTA_BEGIN_DECRYPT);
    ASSERT_GT(handle, 0);
    ASSERT_EQ(NF_OTA_OK, nf_ota_NativeOta_Write(handle, file.data(), static_cast<uint32_t>(file.size()), 512, 4096));
    uint8_t digest[32];
    ASSERT_EQ(4096, nf_ota_NativeOta_GetImageDigest(handle, digest, sizeof(digest)));
    Bytes plain = Vector("plain-4096.bin");
    uint8_t expected[32];
    size_t length = 0;
    ASSERT_EQ(PSA_SUCCESS, psa_hash_compute(PSA_ALG_SHA_256, plain.data(), plain.size(), expected, sizeof(expected), &length));
    EXPECT_EQ(0, std::memcmp(digest, expected, 32));
    EXPECT_EQ(NF_OTA_OK, nf_ota_NativeOta_End(handle));
}

TEST_F(EncryptedImage, ATamperedTagOrBodyIsRefusedAtEndAndNeverValidated)
{
    ProvisionRsa();
    for (const char *name : {"tampered-rsa3072-4096-tag.bin", "tampered-rsa3072-4096-body.bin"})
    {
        fake().ended_image.clear();
        fake().log.clear();
        Bytes file = Vector(name);
        EXPECT_EQ(NF_OTA_TAG_INVALID, Install(file)) << name;
        EXPECT_TRUE(fake().ended_image.empty()) << name;
        EXPECT_EQ(0, std::count(fake().log.begin(), fake().log.end(), std::string("esp_ota_end"))) << name;
        EXPECT_EQ(1, std::count(fake().log.begin(), fake().log.end(), std::string("esp_ota_abort"))) << name;
    }
}

// Found on ESP-IDF 6.0.1 (QEMU): after TagInvalid the decrypted image stayed in the slot and
// esp_ota_set_boot_partition accepted it. Now SetBootSlot refuses the slot, and its header is
// erased so ESP-IDF refuses it after a restart too.
TEST_F(EncryptedImage, AnImageRefusedAtEndCanNeverBeSetToBoot)
{
    struct Case
    {
        const char *name;
        size_t cut;
        int32_t status;
    };
    for (const Case &c : {Case{"tampered-rsa3072-4096-tag.bin", SIZE_MAX, NF_OTA_TAG_INVALID},
                          Case{"tampered-rsa3072-4096-body.bin", SIZE_MAX, NF_OTA_TAG_INVALID},
                          Case{"enc-rsa3072-65659.bin", 30000, NF_OTA_ENCRYPTED_IMAGE_INVALID}})
    {
        fake_reset();
        ProvisionRsa();
        Bytes file = Vector(c.name);
        ASSERT_EQ(c.status, Install(file, c.cut)) << c.name;
        const Bytes &slot = fake().data["ota_1"];
        ASSERT_GE(slot.size(), 4096u) << c.name;
        EXPECT_TRUE(std::all_of(slot.begin(), slot.begin() + 4096, [](uint8_t b) { return b == 0xFF; })) << c.name;
        fake().log.clear();
        EXPECT_EQ(NF_OTA_INVALID_STATE, nf_ota_NativeOta_SetBootSlot("ota_1")) << c.name;
        EXPECT_EQ(0, std::count(fake().log.begin(), fake().log.end(), std::string("esp_ota_set_boot_partition"))) << c.name;
        // A restart forgets RAM; the erased header stays.
        nf_ota_handles_reset();
        nf_ota_unfinished_reset();
        EXPECT_EQ(NF_OTA_IMAGE_INVALID, nf_ota_NativeOta_SetBootSlot("ota_1")) << c.name;
    }
}

TEST_F(EncryptedImage, ADecryptingUpdateAbortedAtAnyPointIsErased)
{
    ProvisionRsa();
    for (size_t cut : {size_t{512 + 1000}, SIZE_MAX})
    {
        Bytes file = Vector("enc-rsa3072-4096.bin");
        ASSERT_EQ(NF_OTA_OK, Open(file));
        int32_t handle = nf_ota_NativeOta_Begin("", 4096, NF_OTA_BEGIN_DECRYPT);
        ASSERT_GT(handle, 0);
        size_t end = std::min(cut, file.size());
        ASSERT_EQ(NF_OTA_OK, nf_ota_NativeOta_Write(handle, file.data(), static_cast<uint32_t>(file.size()), 512, static_cast<int32_t>(end - 512)));
        EXPECT_EQ(NF_OTA_OK, nf_ota_NativeOta_Abort(handle));
        const Bytes &slot = fake().data["ota_1"];
        EXPECT_TRUE(std::all_of(slot.begin(), slot.begin() + 4096, [](uint8_t b) { return b == 0xFF; })) << cut;
        EXPECT_EQ(NF_OTA_INVALID_STATE, nf_ota_NativeOta_SetBootSlot("ota_1")) << cut;
    }
}

TEST_F(EncryptedImage, TamperedEciesImagesAreRefusedToo)
{
    ProvisionEcies();
    Bytes tag = Vector("tampered-ecies-p256-4096-tag.bin");
    EXPECT_EQ(NF_OTA_TAG_INVALID, Install(tag));
    Bytes body = Vector("tampered-ecies-p256-4096-body.bin");
    EXPECT_EQ(NF_OTA_TAG_INVALID, Install(body));
    EXPECT_TRUE(fake().ended_image.empty());
}

TEST_F(EncryptedImage, ABadMagicIsRefusedBeforeAnythingIsErased)
{
    ProvisionRsa();
    Bytes file = Vector("tampered-rsa3072-4096-magic.bin");
    fake().log.clear();
    EXPECT_EQ(NF_OTA_ENCRYPTED_IMAGE_INVALID, Open(file));
    EXPECT_EQ(NF_OTA_INVALID_STATE, nf_ota_NativeOta_Begin("", 4096, NF_OTA_BEGIN_DECRYPT));
    EXPECT_EQ(0, std::count(fake().log.begin(), fake().log.end(), std::string("esp_ota_begin")));
}

TEST_F(EncryptedImage, AnImageForAnotherDeviceKeyIsRefusedAtOpen)
{
    Provision(NF_OTA_DEVICE_KEY_RSA3072, Data("other-key-rsa3072.der"));
    Bytes rsa = Vector("enc-rsa3072-4096.bin");
    EXPECT_EQ(NF_OTA_DEVICE_KEY_MISMATCH, Open(rsa));
    // The other scheme: an ECIES image's header does not unwrap with an RSA key, nor the reverse.
    Bytes ecies = Vector("enc-ecies-p256-4096.bin");
    EXPECT_EQ(NF_OTA_DEVICE_KEY_MISMATCH, Open(ecies));
    fake_reset();
    ProvisionEcies();
    EXPECT_EQ(NF_OTA_DEVICE_KEY_MISMATCH, Open(rsa));
    EXPECT_EQ(NF_OTA_INVALID_STATE, nf_ota_NativeOta_Begin("", 4096, NF_OTA_BEGIN_DECRYPT));
}

TEST_F(EncryptedImage, AnImageCutShortIsRefusedAtEnd)
{
    ProvisionEcies();
    Bytes file = Vector("enc-ecies-p256-65659.bin");
    EXPECT_EQ(NF_OTA_ENCRYPTED_IMAGE_INVALID, Install(file, file.size() - 1));
    EXPECT_TRUE(fake().ended_image.empty());
}

TEST_F(EncryptedImage, MoreCiphertextThanAnnouncedIsRefused)
{
    ProvisionRsa();
    Bytes file = Vector("enc-rsa3072-4096.bin");
    file.push_back(0);
    ASSERT_EQ(NF_OTA_OK, Open(file));
    int32_t handle = nf_ota_NativeOta_Begin("", 4096, NF_OTA_BEGIN_DECRYPT);
    ASSERT_GT(handle, 0);
    EXPECT_EQ(NF_OTA_IMAGE_TOO_LARGE, nf_ota_NativeOta_Write(handle, file.data(), static_cast<uint32_t>(file.size()), 512, 4097));
    EXPECT_NE(NF_OTA_OK, nf_ota_NativeOta_End(handle));
    EXPECT_TRUE(fake().ended_image.empty());
}

// encrypted-sha256: the file as served (header, then ciphertext) is hashed as it streams and
// checked at End before the GCM tag and esp_ota_end.
TEST_F(EncryptedImage, TheRightFileDigestPassesForEspressifsVectors)
{
    ProvisionRsa();
    for (const char *size : {"4096", "65659"})
    {
        Bytes file = Vector(std::string("enc-rsa3072-") + size + ".bin");
        Bytes digest = Sha256(file);
        ASSERT_EQ(NF_OTA_OK, Install(file, SIZE_MAX, &digest)) << size;
        EXPECT_EQ(Vector(std::string("plain-") + size + ".bin"), fake().ended_image) << size;
    }
    fake_reset();
    ProvisionEcies();
    Bytes ecies = Vector("enc-ecies-p256-65659.bin");
    Bytes digest = Sha256(ecies);
    ASSERT_EQ(NF_OTA_OK, Install(ecies, SIZE_MAX, &digest));
    EXPECT_EQ(Vector("plain-65659.bin"), fake().ended_image);
}

// Espressif's tampered-body vector flips ciphertext and keeps the header's tag: with the file's
// signed digest, End says HashMismatch (not TagInvalid): the tag is never looked at. The slot's
// header is erased as for a bad tag, and it can never be set to boot.
TEST_F(EncryptedImage, AFlippedCiphertextByteIsAHashMismatchAtEndAndTheSlotHeaderIsErased)
{
    for (const char *scheme : {"rsa3072", "ecies-p256"})
    {
        fake_reset();
        if (std::string(scheme) == "rsa3072")
        {
            ProvisionRsa();
        }
        else
        {
            ProvisionEcies();
        }
        Bytes good = Vector(std::string("enc-") + scheme + "-4096.bin");
        Bytes digest = Sha256(good);
        Bytes bad = Vector(std::string("tampered-") + scheme + "-4096-body.bin");
        ASSERT_EQ(good.size(), bad.size());
        ASSERT_NE(good, bad);
        fake().log.clear();
        EXPECT_EQ(NF_OTA_HASH_MISMATCH, Install(bad, SIZE_MAX, &digest)) << scheme;
        EXPECT_TRUE(fake().ended_image.empty()) << scheme;
        EXPECT_EQ(0, std::count(fake().log.begin(), fake().log.end(), std::string("esp_ota_end"))) << scheme;
        const Bytes &slot = fake().data["ota_1"];
        ASSERT_GE(slot.size(), 4096u) << scheme;
        EXPECT_TRUE(std::all_of(slot.begin(), slot.begin() + 4096, [](uint8_t b) { return b == 0xFF; })) << scheme;
        EXPECT_EQ(NF_OTA_INVALID_STATE, nf_ota_NativeOta_SetBootSlot("ota_1")) << scheme;
        nf_ota_handles_reset();
        nf_ota_unfinished_reset();
        EXPECT_EQ(NF_OTA_IMAGE_INVALID, nf_ota_NativeOta_SetBootSlot("ota_1")) << scheme;
    }
}

// One flipped ciphertext byte of our own (the vector's tag, decryption and ESP-IDF would catch it
// too; the digest is checked first), and a flipped reserved header byte, which nothing else
// covers: the tag, the plaintext and the image are intact, only the file's digest differs.
TEST_F(EncryptedImage, AnyChangedByteOfTheFileIsAHashMismatch)
{
    ProvisionRsa();
    Bytes good = Vector("enc-rsa3072-65659.bin");
    Bytes digest = Sha256(good);
    for (size_t at : {size_t{512 + 40000}, size_t{500}})
    {
        fake().ended_image.clear();
        Bytes bad = good;
        bad[at] ^= 0x01;
        EXPECT_EQ(NF_OTA_HASH_MISMATCH, Install(bad, SIZE_MAX, &digest)) << at;
        EXPECT_TRUE(fake().ended_image.empty()) << at;
    }
    // The same reserved byte without a digest to check: installs, as before encrypted-sha256.
    Bytes reserved = good;
    reserved[500] ^= 0x01;
    EXPECT_EQ(NF_OTA_OK, Install(reserved));
    // And a wrong digest for the right file is refused the same way.
    Bytes wrong = digest;
    wrong[0] ^= 0x80;
    EXPECT_EQ(NF_OTA_HASH_MISMATCH, Install(good, SIZE_MAX, &wrong));
}

// The digest runs across every Write in order, whatever their sizes: the engine resumes a dropped
// download with a Range request and simply goes on writing where it stopped.
TEST_F(EncryptedImage, TheFileDigestRunsAcrossWritesOfAnySize)
{
    ProvisionEcies();
    Bytes file = Vector("enc-ecies-p256-65659.bin");
    Bytes digest = Sha256(file);
    ASSERT_EQ(NF_OTA_OK, OpenExpecting(file, digest));
    int32_t handle = nf_ota_NativeOta_Begin("", static_cast<int32_t>(SizeOf(file)), NF_OTA_BEGIN_DECRYPT);
    ASSERT_GT(handle, 0);
    size_t at = NF_OTA_ENCRYPTED_HEADER_LENGTH;
    for (size_t n : {size_t{10000}, size_t{1}, size_t{3000}, size_t{20000}})
    {
        ASSERT_EQ(NF_OTA_OK, nf_ota_NativeOta_Write(handle, file.data(), static_cast<uint32_t>(file.size()), static_cast<int32_t>(at), static_cast<int32_t>(n)));
        at += n;
    }
    ASSERT_EQ(NF_OTA_OK, nf_ota_NativeOta_Write(handle, file.data(), static_cast<uint32_t>(file.size()), static_cast<int32_t>(at), static_cast<int32_t>(file.size() - at)));
    EXPECT_EQ(NF_OTA_OK, nf_ota_NativeOta_End(handle));
    EXPECT_EQ(Vector("plain-65659.bin"), fake().ended_image);
}

TEST_F(EncryptedImage, TheExpectedDigestIsThirtyTwoBytesOrNone)
{
    ProvisionRsa();
    Bytes file = Vector("enc-rsa3072-4096.bin");
    fake().log.clear();
    EXPECT_EQ(NF_OTA_OUT_OF_RANGE, OpenExpecting(file, Bytes(31)));
    EXPECT_EQ(NF_OTA_OUT_OF_RANGE, OpenExpecting(file, Bytes(33)));
    EXPECT_EQ(NF_OTA_NULL_ARGUMENT, nf_ota_NativeOta_OpenEncryptedImage(file.data(), 512, nullptr, 32));
    EXPECT_EQ(0, std::count(fake().log.begin(), fake().log.end(), std::string("esp_partition_read")));
    EXPECT_EQ(NF_OTA_OK, OpenExpecting(file, Bytes()));  // empty: an older manifest, not checked
}

TEST_F(EncryptedImage, TheDeviceKeyPartitionMustBeThereWholeAndEncrypted)
{
    Bytes file = Vector("enc-rsa3072-4096.bin");
    EXPECT_EQ(NF_OTA_NOT_FOUND, Open(file));  // no partition

    ProvisionRsa();
    fake().data["nfota_key"].assign(4096, 0xFF);
    EXPECT_EQ(NF_OTA_NOT_FOUND, Open(file));  // blank: never provisioned

    fake().data["nfota_key"] = KeyPartition(NF_OTA_DEVICE_KEY_RSA3072, Data("device-key-rsa3072.der"));
    fake().data["nfota_key"][100] ^= 1;
    EXPECT_EQ(NF_OTA_KEY_INVALID, Open(file));  // damaged: its digest does not match

    fake().data["nfota_key"] = KeyPartition(3, Data("device-key-rsa3072.der"));
    EXPECT_EQ(NF_OTA_KEY_INVALID, Open(file));  // unknown scheme

    fake_reset();
    Provision(NF_OTA_DEVICE_KEY_RSA3072, Data("device-key-rsa3072.der"), /*encrypted=*/false);
    EXPECT_EQ(NF_OTA_KEY_INVALID, Open(file));  // flash encryption on, key stored in the clear
    fake().flash_encryption_mode = 0;
    EXPECT_EQ(NF_OTA_OK, Open(file));  // development board without flash encryption
}

TEST_F(EncryptedImage, OneImageAtATimeAndOnlyInOrder)
{
    ProvisionRsa();
    Bytes file = Vector("enc-rsa3072-4096.bin");
    EXPECT_EQ(NF_OTA_INVALID_STATE, nf_ota_NativeOta_Begin("", 4096, NF_OTA_BEGIN_DECRYPT));  // nothing opened
    ASSERT_EQ(NF_OTA_OK, Open(file));
    EXPECT_EQ(NF_OTA_INVALID_ARGUMENT, nf_ota_NativeOta_Begin("", 4095, NF_OTA_BEGIN_DECRYPT));  // not the header's size
    ASSERT_EQ(NF_OTA_OK, Open(file));
    int32_t handle = nf_ota_NativeOta_Begin("", NF_OTA_SIZE_UNKNOWN, NF_OTA_BEGIN_DECRYPT);
    ASSERT_GT(handle, 0);
    EXPECT_EQ(NF_OTA_INVALID_STATE, Open(file));  // an update is decrypting with it
    EXPECT_EQ(NF_OTA_INVALID_STATE, nf_ota_NativeOta_WriteAt(handle, 0, file.data(), static_cast<uint32_t>(file.size()), 512, 16));
    ASSERT_EQ(NF_OTA_OK, nf_ota_NativeOta_Abort(handle));
    EXPECT_EQ(NF_OTA_OK, Open(file));  // free again
    EXPECT_EQ(NF_OTA_OUT_OF_RANGE, nf_ota_NativeOta_OpenEncryptedImage(file.data(), 511, nullptr, 0));
    EXPECT_EQ(NF_OTA_NULL_ARGUMENT, nf_ota_NativeOta_OpenEncryptedImage(nullptr, 512, nullptr, 0));
}

}  // namespace
