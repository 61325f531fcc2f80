/* See nanoCLR_Interop.h: only what the generated stubs include. */
#pragma once
#include "nanoCLR_Interop.h"
