/* See nanoCLR_Interop.h: only what the generated stubs include. */
#pragma once
#define __nfpack __attribute__((packed))
