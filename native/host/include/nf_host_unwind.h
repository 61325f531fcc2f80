/*
 * Unwinding the C stack on the host, where the chip would stop executing: a restart
 * (esp_restart never returns), a power cut or a panic in the emulator. Each exported entry
 * point runs the component inside a frame; nf_host_unwind() jumps back to it.
 */
#ifndef NF_HOST_UNWIND_H
#define NF_HOST_UNWIND_H

#include <setjmp.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

#define NF_HOST_EXPORT __attribute__((visibility("default")))

/* Why a call was unwound (what the export reports in *unwound). */
#define NF_HOST_NOT_UNWOUND 0
/* The managed host holds the reason (restart, power cut, panic) as an exception. */
#define NF_HOST_UNWOUND_BY_DEVICE 1
/* No emulated device is attached: nf_ota_host_attach was never called. */
#define NF_HOST_UNWOUND_NOT_ATTACHED 2

typedef struct nf_host_frame {
    jmp_buf jump;
    struct nf_host_frame *previous;
    volatile int32_t reason;
} nf_host_frame_t;

void nf_host_enter(nf_host_frame_t *frame);

/* Pop the frame; returns why it was unwound (NF_HOST_NOT_UNWOUND if it returned normally). */
int32_t nf_host_leave(nf_host_frame_t *frame);

/*
 * Called by every exported entry point inside its frame, before the component runs: the host
 * uses it to notice that the emulated chip restarted since the last call (and forget what RAM
 * held) or that no device is attached. It may unwind.
 */
void nf_host_before_call(void);

/* Abandon the C stack up to the innermost frame. */
void nf_host_unwind(int32_t reason) __attribute__((__noreturn__));

#ifdef __cplusplus
}
#endif

#endif /* NF_HOST_UNWIND_H */
