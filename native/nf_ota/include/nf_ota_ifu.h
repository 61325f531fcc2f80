/*
 * nanoFramework's in-field update API (nanoFramework.Runtime.InFieldUpdate, native version
 * 100.0.0.3) over nf_ota, as flat C. The nanoCLR glue (nanoclr/nf_runtime_ifu_*.cpp) and the
 * host binding (firmware/NfOta.InFieldUpdate.Host) turn managed objects into these structures
 * and back; all the logic is here, once.
 *
 * How the MCUboot model maps onto ESP-IDF's A/B slots:
 *   image 0 (nanoCLR)    = the firmware in the ota_N app slots;
 *   image 1 (deployment) = the C# app in deploy_N, the data partition paired with ota_N;
 *   primary = the pair that runs, secondary = the other pair.
 * An image is the signed MCUboot file byte for byte (header, payload, protected and unprotected
 * TLVs). The payload goes to offset 0 of its partition, where the bootloader (firmware) or nanoCLR
 * (deployment) expects it; the header and TLVs go to the partition's last 4 KiB sector (the
 * "sidecar"), so a session can be resumed from what the slot holds and an image described later.
 * Every write goes through ESP-IDF's encrypted path (esp_ota_write, or its partition write on a
 * partition flagged encrypted).
 */
#ifndef NF_OTA_IFU_H
#define NF_OTA_IFU_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* ImageType */
#define NF_OTA_IFU_IMAGE_NANOCLR 0
#define NF_OTA_IFU_IMAGE_DEPLOYMENT 1
#define NF_OTA_IFU_IMAGE_COUNT 2

/* SlotId */
#define NF_OTA_IFU_SLOT_PRIMARY 0
#define NF_OTA_IFU_SLOT_SECONDARY 1

/* UpdateSessionResult: the values are the managed enum's. */
#define NF_OTA_IFU_SUCCESS 0
#define NF_OTA_IFU_BUSY 1
#define NF_OTA_IFU_BAD_TOKEN 2
#define NF_OTA_IFU_BAD_OFFSET 3
#define NF_OTA_IFU_TOO_LARGE 4
#define NF_OTA_IFU_FLASH_ERROR 5
#define NF_OTA_IFU_BAD_MAGIC 6
#define NF_OTA_IFU_SWAP_IN_FLIGHT 7
#define NF_OTA_IFU_NO_IMAGE 8
#define NF_OTA_IFU_HEADER_MISMATCH 9
#define NF_OTA_IFU_INCOMPLETE 10
#define NF_OTA_IFU_BAD_TLV 11
#define NF_OTA_IFU_HASH_MISMATCH 12
#define NF_OTA_IFU_BAD_ARGUMENT 13
#define NF_OTA_IFU_NO_SLOT 14

/* UpdateStatus */
#define NF_OTA_IFU_STATUS_CONFIRMED 0
#define NF_OTA_IFU_STATUS_TESTING 1
#define NF_OTA_IFU_STATUS_TEST_PENDING 2
#define NF_OTA_IFU_STATUS_PERMANENT_PENDING 3
#define NF_OTA_IFU_STATUS_ROLLBACK_PENDING 4
#define NF_OTA_IFU_STATUS_UNKNOWN 255

/* UpdateSessionOwner */
#define NF_OTA_IFU_OWNER_NONE 0
#define NF_OTA_IFU_OWNER_MANAGED 1
#define NF_OTA_IFU_OWNER_WIRE_PROTOCOL 2
#define NF_OTA_IFU_OWNER_NATIVE 3

/*
 * Why the last Complete refused an image, finer than its result (BadTlv covers several): for
 * logs and tests. The managed API has no place for it.
 */
#define NF_OTA_IFU_DETAIL_NONE 0
#define NF_OTA_IFU_DETAIL_NO_HASH_TLV 1
#define NF_OTA_IFU_DETAIL_HASH_MISMATCH 2
#define NF_OTA_IFU_DETAIL_NO_SIGNATURE 3
#define NF_OTA_IFU_DETAIL_UNKNOWN_KEY 4
#define NF_OTA_IFU_DETAIL_SIGNATURE_INVALID 5
#define NF_OTA_IFU_DETAIL_UNSUPPORTED_SIGNATURE 6
#define NF_OTA_IFU_DETAIL_DEPENDENCY_UNMET 7
#define NF_OTA_IFU_DETAIL_TLV_MALFORMED 8
#define NF_OTA_IFU_DETAIL_UNSUPPORTED_FLAGS 9
#define NF_OTA_IFU_DETAIL_APP_IMAGE_INVALID 10
#define NF_OTA_IFU_DETAIL_COPY_FAILED 11
#define NF_OTA_IFU_DETAIL_SET_BOOT_FAILED 12

/* The part of a partition that holds an image's header and TLVs: its last sector. */
#define NF_OTA_IFU_SIDECAR_SIZE 4096

/* MCUboot's image_version: 1.2.3+4 is major 1, minor 2, revision 3, build 4. */
typedef struct {
    uint8_t major;
    uint8_t minor;
    uint16_t revision;
    uint32_t build;
} nf_ota_ifu_version_t;

/*
 * An update session as the managed UpdateSession shows it. The native side keeps its own copy
 * (the registry); a caller's fields other than image and token are only read back, never trusted.
 */
typedef struct {
    int32_t image;
    uint32_t token;
    int32_t total_length;
    int32_t next_offset;
    bool resumed;
    bool header_seen; /* version, header_size and image_size are known */
    nf_ota_ifu_version_t version;
    int32_t header_size;
    int32_t image_size;
} nf_ota_ifu_session_t;

/* ImageInfo's fields. */
typedef struct {
    int32_t image;
    int32_t slot;
    bool has_version;
    nf_ota_ifu_version_t version;
    bool has_hash;
    uint8_t hash[32];
    bool has_valid_header;
    bool is_active;
    bool is_confirmed;
    bool is_pending;
    bool is_bootable;
    bool is_rollback_pending;
} nf_ota_ifu_image_info_t;

/* UpdateManager.GetStatus */
int32_t nf_ota_ifu_get_status(int32_t image);

/* GetPrimaryImageInfo / GetSecondaryImageInfo: NF_OTA_IFU_SUCCESS, NO_IMAGE (nothing there:
 * the managed call returns null) or BAD_ARGUMENT / NO_SLOT. */
int32_t nf_ota_ifu_get_image_info(int32_t image, int32_t slot, nf_ota_ifu_image_info_t *info);

/* EraseSecondaryImage */
int32_t nf_ota_ifu_erase_secondary(int32_t image);

/* StartUpdateSession: erases the secondary slot's payload area and sidecar. */
int32_t nf_ota_ifu_start(int32_t image, int32_t total_length, int32_t owner, nf_ota_ifu_session_t *session);

/* ResumeUpdateSession: from what the secondary slot holds; expected_header (up to 32 bytes)
 * must equal the start of the header stored there. */
int32_t nf_ota_ifu_resume(int32_t image, int32_t total_length, const uint8_t *expected_header, size_t expected_length,
    int32_t owner, nf_ota_ifu_session_t *session);

/* StoreImageChunk: count bytes at the session's next offset; *session is refreshed. */
int32_t nf_ota_ifu_store(nf_ota_ifu_session_t *session, const uint8_t *data, size_t count);

/* CompleteUpdateSession: MCUboot's checks, then the partner copy and set-boot; *session refreshed. */
int32_t nf_ota_ifu_complete(nf_ota_ifu_session_t *session);

/* AbortUpdateSession */
int32_t nf_ota_ifu_abort(const nf_ota_ifu_session_t *session, bool erase_slot);

/* GetUpdateSessionOwner */
int32_t nf_ota_ifu_get_owner(int32_t image);

/* ConfirmDeploymentImage, RequestDeploymentRevert, RequestClrRevert, RequestReboot */
bool nf_ota_ifu_confirm_deployment(void);
bool nf_ota_ifu_request_deployment_revert(void);
bool nf_ota_ifu_request_clr_revert(void);
void nf_ota_ifu_request_reboot(void);

/* Every session ends with the CLR that opened it: call on CLR start and stop. */
void nf_ota_ifu_release_all(void);

/* NF_OTA_IFU_DETAIL_* of the last Complete that did not succeed. */
int32_t nf_ota_ifu_last_detail(void);

/*
 * The EC P-256 keys a Complete accepts an image signature from, as uncompressed points (0x04, X,
 * Y). On a board they are built in (nf_ota_ifu_keys.c, made from NF_OTA_IFU_KEY at configure); a
 * host build sets them. count 0: no signed image can be completed.
 */
size_t nf_ota_ifu_trusted_key_count(void);
const uint8_t *nf_ota_ifu_trusted_key(size_t index);

/* Whether a Complete accepts an image with a SHA-256 TLV and no signature (a debug build's
 * option, CONFIG_NF_OTA_IFU_ACCEPT_UNSIGNED, refused with secure boot on). */
bool nf_ota_ifu_accepts_unsigned(void);

#ifdef __cplusplus
}
#endif

#endif /* NF_OTA_IFU_H */
