/* yamnet_xnnpack.h - the XNNPACK delegate entry points of the TFLite 2.9.0 C library.
 *
 * Why this file exists: the prebuilt libtensorflowlite_c.so (npm tfjs-tflite-node@0.0.2)
 * exports the XNNPACK delegate functions but ships no header for them. This is the
 * project's own declaration of that ABI, written against the 2.9 layout. It must stay
 * in step with the library version: the options struct is passed by pointer and its
 * layout changed in later TFLite releases. Include after tensorflow/lite/c/common.h
 * (which defines TfLiteDelegate).
 */
#ifndef YAMNET_XNNPACK_H
#define YAMNET_XNNPACK_H

#include <stdint.h>

#include "tensorflow/lite/c/common.h"

#ifdef __cplusplus
extern "C" {
#endif

/* Bits for TfLiteXNNPackDelegateOptions.flags. QS8 is the project default: it is the
 * path that reproduces the golden outputs (see ../shared/golden). */
#define TFLITE_XNNPACK_DELEGATE_FLAG_QS8 0x00000001u /* signed 8-bit quantized ops */
#define TFLITE_XNNPACK_DELEGATE_FLAG_QU8 0x00000002u /* unsigned 8-bit quantized ops */

typedef struct {
  int32_t num_threads;  /* > 1 creates a delegate-owned thread pool */
  uint32_t flags;       /* TFLITE_XNNPACK_DELEGATE_FLAG_* bits */
  void* weights_cache;  /* opaque TfLiteXNNPackDelegateWeightsCache*; NULL = none */
} TfLiteXNNPackDelegateOptions;

/* Library defaults; callers start from these and override fields. */
TfLiteXNNPackDelegateOptions TfLiteXNNPackDelegateOptionsDefault(void);

/* Returns NULL on failure. The delegate must outlive every interpreter using it. */
TfLiteDelegate* TfLiteXNNPackDelegateCreate(const TfLiteXNNPackDelegateOptions* options);

void TfLiteXNNPackDelegateDelete(TfLiteDelegate* delegate);

#ifdef __cplusplus
}
#endif

#endif /* YAMNET_XNNPACK_H */
