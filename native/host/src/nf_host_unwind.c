#include "nf_host_unwind.h"

#include <stdio.h>
#include <stdlib.h>

static nf_host_frame_t *s_innermost = NULL;

void nf_host_enter(nf_host_frame_t *frame)
{
    frame->reason = NF_HOST_NOT_UNWOUND;
    frame->previous = s_innermost;
    s_innermost = frame;
}

int32_t nf_host_leave(nf_host_frame_t *frame)
{
    s_innermost = frame->previous;
    return frame->reason;
}

void nf_host_unwind(int32_t reason)
{
    nf_host_frame_t *frame = s_innermost;
    if (frame == NULL)
    {
        /* Only reachable if component code runs outside an exported entry point: a bug here. */
        fprintf(stderr, "nf_host_unwind(%d) with no frame\n", (int)reason);
        abort();
    }
    frame->reason = reason;
    longjmp(frame->jump, 1);
}
