// Each esp_err_t nf_ota can meet maps to one stable status.
#include <gtest/gtest.h>

#include <ostream>

extern "C" {
#include "esp_image_format.h"
#include "esp_ota_ops.h"
#include "spi_flash_mmap.h"
#include "nf_ota_errors.h"
#include "nf_ota_status.h"
}

namespace {

struct Mapping
{
    esp_err_t err;
    int32_t status;
};

// Readable test names in CTest: the esp_err_t in hex.
void PrintTo(const Mapping &mapping, std::ostream *os)
{
    *os << "esp_err_0x" << std::hex << static_cast<uint32_t>(mapping.err);
}

class ErrorMapping : public ::testing::TestWithParam<Mapping>
{
};

TEST_P(ErrorMapping, MapsToItsStatus)
{
    EXPECT_EQ(GetParam().status, nf_ota_status_from_esp_err(GetParam().err)) << "esp_err_t 0x" << std::hex << GetParam().err;
}

INSTANTIATE_TEST_SUITE_P(EveryEspErr, ErrorMapping,
    ::testing::Values(
        Mapping{ESP_OK, NF_OTA_OK},
        Mapping{ESP_FAIL, NF_OTA_ESP_FAILURE},
        Mapping{ESP_ERR_NO_MEM, NF_OTA_NO_MEMORY},
        Mapping{ESP_ERR_INVALID_ARG, NF_OTA_INVALID_ARGUMENT},
        Mapping{ESP_ERR_INVALID_STATE, NF_OTA_INVALID_STATE},
        Mapping{ESP_ERR_INVALID_SIZE, NF_OTA_IMAGE_TOO_LARGE},
        Mapping{ESP_ERR_NOT_FOUND, NF_OTA_NOT_FOUND},
        Mapping{ESP_ERR_NOT_SUPPORTED, NF_OTA_NOT_SUPPORTED},
        Mapping{ESP_ERR_TIMEOUT, NF_OTA_ESP_FAILURE},
        Mapping{ESP_ERR_OTA_PARTITION_CONFLICT, NF_OTA_PARTITION_CONFLICT},
        Mapping{ESP_ERR_OTA_SELECT_INFO_INVALID, NF_OTA_OTA_DATA_INVALID},
        Mapping{ESP_ERR_OTA_VALIDATE_FAILED, NF_OTA_IMAGE_INVALID},
        Mapping{ESP_ERR_OTA_SMALL_SEC_VER, NF_OTA_SECURE_VERSION_TOO_LOW},
        Mapping{ESP_ERR_OTA_ROLLBACK_FAILED, NF_OTA_ROLLBACK_FAILED},
        Mapping{ESP_ERR_OTA_ROLLBACK_INVALID_STATE, NF_OTA_ROLLBACK_INVALID_STATE},
        Mapping{ESP_ERR_IMAGE_INVALID, NF_OTA_IMAGE_INVALID},
        Mapping{ESP_ERR_IMAGE_FLASH_FAIL, NF_OTA_FLASH_ERROR},
        Mapping{ESP_ERR_FLASH_OP_FAIL, NF_OTA_FLASH_ERROR},
        Mapping{ESP_ERR_FLASH_OP_TIMEOUT, NF_OTA_FLASH_ERROR},
        Mapping{ESP_ERR_FLASH_BASE + 0x10, NF_OTA_FLASH_ERROR},
        Mapping{ESP_ERR_FLASH_BASE + 0x100, NF_OTA_ESP_FAILURE}));

TEST(LastEspError, RemembersOnlyFailures)
{
    nf_ota_errors_reset();
    EXPECT_EQ(ESP_OK, nf_ota_last_esp_error());
    EXPECT_EQ(NF_OTA_FLASH_ERROR, nf_ota_fail(ESP_ERR_FLASH_OP_TIMEOUT));
    EXPECT_EQ(NF_OTA_OK, nf_ota_fail(ESP_OK));
    EXPECT_EQ(ESP_ERR_FLASH_OP_TIMEOUT, nf_ota_last_esp_error());
}

}  // namespace
