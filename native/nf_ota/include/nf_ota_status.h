/*
 * The numbers the native component and the managed side agree on: status codes (negative),
 * arguments, states and record layouts. firmware/NfOta.Interop/NativeOtaStatus.cs holds the same
 * values; a test compares the two files line by line.
 */
#ifndef NF_OTA_STATUS_H
#define NF_OTA_STATUS_H

/* ---- status codes: 0 is success, every failure is negative ---- */
#define NF_OTA_OK 0
#define NF_OTA_INVALID_ARGUMENT (-1)
#define NF_OTA_NULL_ARGUMENT (-2)
#define NF_OTA_OUT_OF_RANGE (-3)
#define NF_OTA_UNKNOWN_HANDLE (-4)
#define NF_OTA_NO_FREE_HANDLE (-5)
#define NF_OTA_NOT_FOUND (-6)
#define NF_OTA_NOT_AN_OTA_SLOT (-7)
#define NF_OTA_IS_RUNNING_SLOT (-8)
#define NF_OTA_IMAGE_TOO_LARGE (-9)
#define NF_OTA_IMAGE_INVALID (-10)
#define NF_OTA_NO_MEMORY (-11)
#define NF_OTA_FLASH_ERROR (-12)
#define NF_OTA_INVALID_STATE (-13)
#define NF_OTA_NOT_SUPPORTED (-14)
#define NF_OTA_ROLLBACK_FAILED (-15)
#define NF_OTA_ROLLBACK_INVALID_STATE (-16)
#define NF_OTA_SECURE_VERSION_TOO_LOW (-17)
#define NF_OTA_SIGNATURE_INVALID (-18)
#define NF_OTA_KEY_INVALID (-19)
#define NF_OTA_DIGEST_UNAVAILABLE (-20)
#define NF_OTA_OTA_DATA_INVALID (-21)
#define NF_OTA_PARTITION_CONFLICT (-22)
#define NF_OTA_TAG_INVALID (-23)
#define NF_OTA_DEVICE_KEY_MISMATCH (-24)
#define NF_OTA_ENCRYPTED_IMAGE_INVALID (-25)
#define NF_OTA_HASH_MISMATCH (-26)
#define NF_OTA_ESP_FAILURE (-99)

/* ---- arguments ---- */
#define NF_OTA_SIZE_UNKNOWN (-1)
#define NF_OTA_BEGIN_SEQUENTIAL_ERASE 1
#define NF_OTA_BEGIN_DECRYPT 2

#define NF_OTA_ERASE_SKIP_BLANK_PLAINTEXT 1

#define NF_OTA_SLOT_RUNNING 0
#define NF_OTA_SLOT_BOOT 1
#define NF_OTA_SLOT_NEXT_UPDATE 2
#define NF_OTA_SLOT_LAST_INVALID 3

/* ---- GetSlotState results (esp_ota_img_states_t; UNDEFINED maps to 5) ---- */
#define NF_OTA_STATE_NEW 0
#define NF_OTA_STATE_PENDING_VERIFY 1
#define NF_OTA_STATE_VALID 2
#define NF_OTA_STATE_INVALID 3
#define NF_OTA_STATE_ABORTED 4
#define NF_OTA_STATE_UNDEFINED 5

/* ---- record layouts ---- */
/* GetSlotInfo: u32 address, u32 size (little-endian), u8 type, u8 subtype, u8 encrypted, u8 readonly, label[17]. */
#define NF_OTA_SLOT_RECORD_LENGTH 32
#define NF_OTA_SLOT_RECORD_LABEL_OFFSET 12
#define NF_OTA_SLOT_RECORD_LABEL_LENGTH 17

/* GetAppDescription: ESP-IDF's esp_app_desc_t, byte for byte. */
#define NF_OTA_APP_DESCRIPTION_LENGTH 256

#define NF_OTA_DIGEST_LENGTH 32
#define NF_OTA_P256_PUBLIC_KEY_LENGTH 65
#define NF_OTA_P256_SIGNATURE_LENGTH 64

/* GetNativeAssemblies' record never needs more. */
#define NF_OTA_NATIVE_TABLE_MAX_LENGTH 2048

/* esp_encrypted_img's header, which OpenEncryptedImage takes; the ciphertext follows it. */
#define NF_OTA_ENCRYPTED_HEADER_LENGTH 512

/* The device key partition (label "nfota_key"): its schemes. */
#define NF_OTA_DEVICE_KEY_RSA3072 1
#define NF_OTA_DEVICE_KEY_ECIES_P256 2

/* Handles open at once. */
#define NF_OTA_MAX_HANDLES 2

#endif /* NF_OTA_STATUS_H */
