/* yamnet_xnnpack.h - the XNNPACK delegate entry points of the TFLite C library, for the two
 * runtimes the project supports: the 2.9.0 prebuilt and the 2.19.0 from-source build.
 *
 * Why this file exists: the prebuilt 2.9.0 libtensorflowlite_c.so (npm tfjs-tflite-node@0.0.2)
 * exports the XNNPACK delegate but ships no header for it, and one binary (tflite-probe) must run
 * on either library. The options struct is passed by pointer and changed between the two:
 * 8 bytes in the 2.9.0 prebuilt (num_threads, flags: read off the binary, whose OptionsDefault
 * returns it in one register and whose Create copies 8 bytes), 64 bytes in 2.19 (runtime_flags
 * inserted after num_threads, then weights_cache, handle_variable_ops, the weight-cache file
 * path/descriptor/provider and lock_memory), and TfLiteXNNPackDelegateOptionsDefault returns it
 * by value (registers for 8 bytes, a hidden result pointer for 64). The layout is
 * therefore chosen at run time from TfLiteVersion() (yamnet_xnnpack_delegate_create below), the
 * way the C# bindings do it; any other version is refused rather than guessed.
 * Include after tensorflow/lite/c/c_api.h (TfLiteVersion) and common.h (TfLiteDelegate).
 */
#ifndef YAMNET_XNNPACK_H
#define YAMNET_XNNPACK_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

#include "tensorflow/lite/c/c_api.h"
#include "tensorflow/lite/c/common.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Bits for the options' flags. QS8 is the project default: it is the path that reproduces the
 * golden outputs (see ../shared/golden). Same values in 2.9 and 2.19. */
#define TFLITE_XNNPACK_DELEGATE_FLAG_QS8 0x00000001u /* signed 8-bit quantized ops */
#define TFLITE_XNNPACK_DELEGATE_FLAG_QU8 0x00000002u /* unsigned 8-bit quantized ops */

/* TFLite 2.9 prebuilt TfLiteXNNPackDelegateOptions (8 bytes). */
typedef struct {
  int32_t num_threads;  /* > 1 creates a delegate-owned thread pool */
  uint32_t flags;       /* TFLITE_XNNPACK_DELEGATE_FLAG_* bits */
} YamnetXnnPackOptions_2_9;

/* TFLite 2.19 TfLiteXNNPackDelegateOptions (64 bytes on LP64). */
typedef struct {
  int32_t num_threads;
  uint32_t runtime_flags;      /* passed to xnn_create_runtime */
  uint32_t flags;
  void* weights_cache;
  bool handle_variable_ops;    /* deprecated */
  const char* weight_cache_file_path;
  int weight_cache_file_descriptor; /* -1 by default */
  void* weight_cache_provider;
  bool weight_cache_lock_memory;
} YamnetXnnPackOptions_2_19;

#if defined(__LP64__)
_Static_assert(sizeof(YamnetXnnPackOptions_2_9) == 8, "2.9 prebuilt XNNPACK options are 8 bytes");
_Static_assert(sizeof(YamnetXnnPackOptions_2_19) == 64, "2.19 XNNPACK options are 64 bytes");
#endif

/* Declared with placeholder types: the real return type depends on the library version, and the
 * call is made through a pointer of the matching type (yamnet_xnnpack_delegate_create). */
void TfLiteXNNPackDelegateOptionsDefault(void);
TfLiteDelegate* TfLiteXNNPackDelegateCreate(const void* options);
void TfLiteXNNPackDelegateDelete(TfLiteDelegate* delegate);

/* 29 for 2.9.x, 219 for 2.19.x, 0 for anything else (layout unknown: refuse). */
static inline int yamnet_xnnpack_abi(const char* version) {
  int major = 0, minor = 0;
  if (!version || sscanf(version, "%d.%d", &major, &minor) != 2 || major != 2) return 0;
  return minor == 9 ? 29 : minor == 19 ? 219 : 0;
}

/* Creates an XNNPACK delegate with the library's defaults, then num_threads and flags. Returns
 * NULL and sets *why on failure (unsupported version, or the library refused). */
static inline TfLiteDelegate* yamnet_xnnpack_delegate_create(int32_t num_threads, uint32_t flags, const char** why) {
  switch (yamnet_xnnpack_abi(TfLiteVersion())) {
    case 29: {
      YamnetXnnPackOptions_2_9 o = ((YamnetXnnPackOptions_2_9(*)(void))TfLiteXNNPackDelegateOptionsDefault)();
      o.num_threads = num_threads;
      o.flags = flags;
      TfLiteDelegate* d = TfLiteXNNPackDelegateCreate(&o);
      if (!d) *why = "TfLiteXNNPackDelegateCreate failed";
      return d;
    }
    case 219: {
      YamnetXnnPackOptions_2_19 o = ((YamnetXnnPackOptions_2_19(*)(void))TfLiteXNNPackDelegateOptionsDefault)();
      o.num_threads = num_threads;
      o.flags = flags;
      TfLiteDelegate* d = TfLiteXNNPackDelegateCreate(&o);
      if (!d) *why = "TfLiteXNNPackDelegateCreate failed";
      return d;
    }
    default:
      *why = "unsupported TFLite version for the XNNPACK options layout (supported: 2.9.x, 2.19.x)";
      return NULL;
  }
}

#ifdef __cplusplus
}
#endif

#endif /* YAMNET_XNNPACK_H */
