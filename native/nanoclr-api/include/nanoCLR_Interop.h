/*
 * The slice of nanoCLR's interop API (nf-interpreter src/CLR/Include/nanoCLR_Interop.h) that
 * nfgen's stubs use, declared from nanoCLR's own header so the generated C++ can be compiled
 * here (syntax and types) without an nf-interpreter checkout. Nothing here is linked or run.
 */
#pragma once

#include <stddef.h>
#include <stdint.h>

typedef int32_t HRESULT;
#define S_OK ((HRESULT)0)
#define FAILED(hr) ((HRESULT)(hr) < 0)

#define NANOCLR_HEADER() HRESULT hr
#define NANOCLR_LEAVE() goto nanoCLR_Cleanup
#define NANOCLR_CHECK_HRESULT(expr)                                                                                    \
    {                                                                                                                  \
        if (FAILED(hr = (expr)))                                                                                       \
            NANOCLR_LEAVE();                                                                                           \
    }
#define NANOCLR_NOCLEANUP()                                                                                            \
    nanoCLR_Cleanup:                                                                                                   \
    return hr

struct CLR_RT_StackFrame;
struct CLR_RT_HeapBlock;
typedef CLR_RT_HeapBlock *UNSUPPORTED_TYPE;

#define CLR_RT_HEAP_BLOCK_SIZE 12
#define NANOCLR_NATIVE_DECLARE(mtd) static HRESULT mtd(CLR_RT_StackFrame &stack)

typedef HRESULT (*CLR_RT_MethodHandler)(CLR_RT_StackFrame &stack);

struct CLR_RECORD_VERSION
{
    uint16_t iMajorVersion;
    uint16_t iMinorVersion;
    uint16_t iBuildNumber;
    uint16_t iRevisionNumber;
};

struct CLR_RT_NativeAssemblyData
{
    const char *m_szAssemblyName;
    unsigned int m_checkSum;
    const void *m_pNativeMethods;
    CLR_RECORD_VERSION m_Version;
};

template <class T> class CLR_RT_TypedArray
{
    T *m_pData;
    unsigned int m_ElemCount;

  public:
    CLR_RT_TypedArray() : m_pData(NULL), m_ElemCount(0) {}
    unsigned int GetSize() { return m_ElemCount; }
    T *GetBuffer() { return m_pData; }
};

typedef CLR_RT_TypedArray<unsigned char> CLR_RT_TypedArray_UINT8;
typedef CLR_RT_TypedArray<unsigned short int> CLR_RT_TypedArray_UINT16;
typedef CLR_RT_TypedArray<unsigned int> CLR_RT_TypedArray_UINT32;
typedef CLR_RT_TypedArray<unsigned long long> CLR_RT_TypedArray_UINT64;
typedef CLR_RT_TypedArray<signed char> CLR_RT_TypedArray_INT8;
typedef CLR_RT_TypedArray<signed short int> CLR_RT_TypedArray_INT16;
typedef CLR_RT_TypedArray<signed int> CLR_RT_TypedArray_INT32;
typedef CLR_RT_TypedArray<signed long long> CLR_RT_TypedArray_INT64;
typedef CLR_RT_TypedArray<float> CLR_RT_TypedArray_float;
typedef CLR_RT_TypedArray<double> CLR_RT_TypedArray_double;

HRESULT Interop_Marshal_bool(const CLR_RT_StackFrame &stackFrame, unsigned int paramIndex, bool &param);
HRESULT Interop_Marshal_UINT8(const CLR_RT_StackFrame &stackFrame, unsigned int paramIndex, unsigned char &param);
HRESULT Interop_Marshal_UINT16(const CLR_RT_StackFrame &stackFrame, unsigned int paramIndex, unsigned short int &param);
HRESULT Interop_Marshal_UINT32(const CLR_RT_StackFrame &stackFrame, unsigned int paramIndex, unsigned int &param);
HRESULT Interop_Marshal_UINT64(const CLR_RT_StackFrame &stackFrame, unsigned int paramIndex, unsigned long long &param);
HRESULT Interop_Marshal_INT8(const CLR_RT_StackFrame &stackFrame, unsigned int paramIndex, signed char &param);
HRESULT Interop_Marshal_INT16(const CLR_RT_StackFrame &stackFrame, unsigned int paramIndex, signed short int &param);
HRESULT Interop_Marshal_INT32(const CLR_RT_StackFrame &stackFrame, unsigned int paramIndex, signed int &param);
HRESULT Interop_Marshal_INT64(const CLR_RT_StackFrame &stackFrame, unsigned int paramIndex, signed long long &param);
HRESULT Interop_Marshal_float(const CLR_RT_StackFrame &stackFrame, unsigned int paramIndex, float &param);
HRESULT Interop_Marshal_double(const CLR_RT_StackFrame &stackFrame, unsigned int paramIndex, double &param);
HRESULT Interop_Marshal_LPCSTR(const CLR_RT_StackFrame &stackFrame, unsigned int paramIndex, const char *&param);

HRESULT Interop_Marshal_UINT8_ARRAY(const CLR_RT_StackFrame &stackFrame, unsigned int paramIndex, CLR_RT_TypedArray_UINT8 &typedArray);
HRESULT Interop_Marshal_UINT16_ARRAY(const CLR_RT_StackFrame &stackFrame, unsigned int paramIndex, CLR_RT_TypedArray_UINT16 &typedArray);
HRESULT Interop_Marshal_UINT32_ARRAY(const CLR_RT_StackFrame &stackFrame, unsigned int paramIndex, CLR_RT_TypedArray_UINT32 &typedArray);
HRESULT Interop_Marshal_UINT64_ARRAY(const CLR_RT_StackFrame &stackFrame, unsigned int paramIndex, CLR_RT_TypedArray_UINT64 &typedArray);
HRESULT Interop_Marshal_INT8_ARRAY(const CLR_RT_StackFrame &stackFrame, unsigned int paramIndex, CLR_RT_TypedArray_INT8 &typedArray);
HRESULT Interop_Marshal_INT16_ARRAY(const CLR_RT_StackFrame &stackFrame, unsigned int paramIndex, CLR_RT_TypedArray_INT16 &typedArray);
HRESULT Interop_Marshal_INT32_ARRAY(const CLR_RT_StackFrame &stackFrame, unsigned int paramIndex, CLR_RT_TypedArray_INT32 &typedArray);
HRESULT Interop_Marshal_INT64_ARRAY(const CLR_RT_StackFrame &stackFrame, unsigned int paramIndex, CLR_RT_TypedArray_INT64 &typedArray);
HRESULT Interop_Marshal_float_ARRAY(const CLR_RT_StackFrame &stackFrame, unsigned int paramIndex, CLR_RT_TypedArray_float &typedArray);
HRESULT Interop_Marshal_double_ARRAY(const CLR_RT_StackFrame &stackFrame, unsigned int paramIndex, CLR_RT_TypedArray_double &typedArray);

HRESULT Interop_Marshal_bool_ByRef(const CLR_RT_StackFrame &stackFrame, void *pHeapBlock, unsigned int paramIndex, unsigned char *&pParam);
HRESULT Interop_Marshal_UINT8_ByRef(const CLR_RT_StackFrame &stackFrame, void *pHeapBlock, unsigned int paramIndex, unsigned char *&pParam);
HRESULT Interop_Marshal_UINT16_ByRef(const CLR_RT_StackFrame &stackFrame, void *pHeapBlock, unsigned int paramIndex, unsigned short int *&pParam);
HRESULT Interop_Marshal_UINT32_ByRef(const CLR_RT_StackFrame &stackFrame, void *pHeapBlock, unsigned int paramIndex, unsigned int *&pParam);
HRESULT Interop_Marshal_UINT64_ByRef(const CLR_RT_StackFrame &stackFrame, void *pHeapBlock, unsigned int paramIndex, unsigned long long *&pParam);
HRESULT Interop_Marshal_INT8_ByRef(const CLR_RT_StackFrame &stackFrame, void *pHeapBlock, unsigned int paramIndex, signed char *&pParam);
HRESULT Interop_Marshal_INT16_ByRef(const CLR_RT_StackFrame &stackFrame, void *pHeapBlock, unsigned int paramIndex, signed short int *&pParam);
HRESULT Interop_Marshal_INT32_ByRef(const CLR_RT_StackFrame &stackFrame, void *pHeapBlock, unsigned int paramIndex, signed int *&pParam);
HRESULT Interop_Marshal_INT64_ByRef(const CLR_RT_StackFrame &stackFrame, void *pHeapBlock, unsigned int paramIndex, signed long long *&pParam);

void SetResult_bool(CLR_RT_StackFrame &stackFrame, bool value);
void SetResult_INT8(CLR_RT_StackFrame &stackFrame, signed char value);
void SetResult_INT16(CLR_RT_StackFrame &stackFrame, signed short int value);
void SetResult_INT32(CLR_RT_StackFrame &stackFrame, signed int value);
void SetResult_INT64(CLR_RT_StackFrame &stackFrame, signed long long value);
void SetResult_UINT8(CLR_RT_StackFrame &stackFrame, unsigned char value);
void SetResult_UINT16(CLR_RT_StackFrame &stackFrame, unsigned short int value);
void SetResult_UINT32(CLR_RT_StackFrame &stackFrame, unsigned int value);
void SetResult_UINT64(CLR_RT_StackFrame &stackFrame, unsigned long long value);
void SetResult_float(CLR_RT_StackFrame &stackFrame, float value);
void SetResult_double(CLR_RT_StackFrame &stackFrame, double value);
void SetResult_LPCSTR(CLR_RT_StackFrame &stackFrame, const char *value);
