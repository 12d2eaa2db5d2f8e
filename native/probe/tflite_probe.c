/* tflite-probe: classify the first window of a WAV file with the TFLite C API, and
 * optionally time invokes; or (--windows all) every window of the file at a hop, printing the
 * top-k of each as CSV: the native reference for whole-file throughput. It is the native reference for the C# side: same input
 * conventions (int16 / 32768, zero padding, first window), same ranking (score
 * descending, ties by lower index) and the same score text (shortest round-trip float32).
 *
 * Exit codes: 0 ok, 2 bad arguments / unreadable model / bad WAV, 1 TFLite runtime failure.
 * --trial (the child of the C# unknown-model trial, src/Yamnet.Native/Isolation): 0 ran, 3 refused.
 */
#define _GNU_SOURCE /* clock_gettime, realpath, dladdr */

#include <dlfcn.h>
#include <errno.h>
#include <limits.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>

#include "tensorflow/lite/c/c_api.h"
#include "tensorflow/lite/c/common.h"
#include "yamnet_xnnpack.h"

typedef struct {
  const char *model, *wav;
  int xnnpack;  /* 1 = XNNPACK delegate, 0 = builtin kernels */
  int threads, top_k, iterations, warmup, json;
  int all_windows, hop; /* --windows all: every window, window k starting at k * hop (0 = half a window) */
  int trial;            /* --trial: load, build, invoke twice on a tone; nothing read but the model */
  uint32_t flags;
} Options;

static int fail(int code, const char *fmt, const char *arg) {
  fprintf(stderr, "tflite-probe: error: ");
  fprintf(stderr, fmt, arg);
  fputc('\n', stderr);
  return code;
}

static void usage(FILE *f) {
  fputs("usage: tflite-probe --model PATH [--wav PATH] [--delegate xnnpack|none]\n"
        "       tflite-probe --version   (the loaded library's TfLiteVersion())\n"
        "       tflite-probe --trial --model PATH [--delegate D] [--threads N] [--xnnpack-flags N]\n"
        "                    (prints the library, then runs the model twice: exit 0 ran, 3 refused)\n"
        "                    [--threads N] [--xnnpack-flags N] [--top-k K]\n"
        "                    [--iterations N] [--warmup N] [--format text|json]\n"
        "                    [--windows first|all] [--hop N]\n"
        "Classifies the first model-sized window of a 16-bit PCM WAV (silence without --wav), or\n"
        "with --windows all every window (hop N, default half a window) as CSV\n"
        "window,start_sample,rank,index,score (the text format only).\n"
        "Defaults: xnnpack, 1 thread, flags 1 (QS8), top-k 5, iterations 0, warmup 10, text.\n",
        f);
}

/* Strict integer parse: whole string, within [lo, hi]. */
static int parse_long(const char *s, long lo, long hi, long *out) {
  char *end;
  errno = 0;
  long v = strtol(s, &end, 10);
  if (errno || end == s || *end || v < lo || v > hi) return 0;
  *out = v;
  return 1;
}

/* Returns 0 on success, else the exit code (already reported). */
static int parse_args(int argc, char **argv, Options *o) {
  *o = (Options){.xnnpack = 1, .threads = 1, .top_k = 5, .warmup = 10, .flags = 1};
  for (int i = 1; i < argc; i++) {
    const char *a = argv[i];
    if (!strcmp(a, "-h") || !strcmp(a, "--help")) { usage(stdout); exit(0); }
    if (!strcmp(a, "--version")) { printf("%s\n", TfLiteVersion()); exit(0); }
    if (!strcmp(a, "--trial")) { o->trial = 1; continue; }
    if (i + 1 >= argc || strncmp(a, "--", 2)) {
      usage(stderr);
      return fail(2, strncmp(a, "--", 2) ? "unexpected argument '%s'" : "option %s needs a value", a);
    }
    const char *v = argv[++i];
    long n;
    if (!strcmp(a, "--model")) o->model = v;
    else if (!strcmp(a, "--wav")) o->wav = v;
    else if (!strcmp(a, "--delegate")) {
      if (!strcmp(v, "xnnpack")) o->xnnpack = 1;
      else if (!strcmp(v, "none")) o->xnnpack = 0;
      else return fail(2, "--delegate must be xnnpack or none, got '%s'", v);
    } else if (!strcmp(a, "--format")) {
      if (!strcmp(v, "text")) o->json = 0;
      else if (!strcmp(v, "json")) o->json = 1;
      else return fail(2, "--format must be text or json, got '%s'", v);
    } else if (!strcmp(a, "--windows")) {
      if (!strcmp(v, "first")) o->all_windows = 0;
      else if (!strcmp(v, "all")) o->all_windows = 1;
      else return fail(2, "--windows must be first or all, got '%s'", v);
    } else if (!strcmp(a, "--hop")) {
      if (!parse_long(v, 1, INT_MAX, &n)) return fail(2, "--hop must be >= 1, got '%s'", v);
      o->hop = (int)n;
    } else if (!strcmp(a, "--threads")) {
      if (!parse_long(v, 1, 1024, &n)) return fail(2, "--threads must be 1..1024, got '%s'", v);
      o->threads = (int)n;
    } else if (!strcmp(a, "--xnnpack-flags")) {
      if (!parse_long(v, 0, UINT32_MAX, &n)) return fail(2, "--xnnpack-flags must be 0..4294967295, got '%s'", v);
      o->flags = (uint32_t)n;
    } else if (!strcmp(a, "--top-k")) {
      if (!parse_long(v, 1, INT_MAX, &n)) return fail(2, "--top-k must be >= 1, got '%s'", v);
      o->top_k = (int)n;
    } else if (!strcmp(a, "--iterations")) {
      if (!parse_long(v, 0, 10000000, &n)) return fail(2, "--iterations must be 0..10000000, got '%s'", v);
      o->iterations = (int)n;
    } else if (!strcmp(a, "--warmup")) {
      if (!parse_long(v, 0, 10000000, &n)) return fail(2, "--warmup must be 0..10000000, got '%s'", v);
      o->warmup = (int)n;
    } else {
      usage(stderr);
      return fail(2, "unknown option '%s'", a);
    }
  }
  if (!o->model) { usage(stderr); return fail(2, "%s is required", "--model"); }
  if (o->trial && (o->wav || o->all_windows || o->iterations || o->json || o->hop || o->top_k != 5))
    return fail(2, "%s", "--trial takes only --model, --delegate, --threads and --xnnpack-flags");
  if (o->all_windows && (o->iterations || o->json))
    return fail(2, "%s", "--windows all prints CSV and times nothing: no --iterations or --format json");
  return 0;
}

/* ---- WAV ------------------------------------------------------------------------------ */

static uint16_t le16(const unsigned char *p) { return (uint16_t)(p[0] | p[1] << 8); }
static uint32_t le32(const unsigned char *p) {
  return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

/* Reads a 16-bit PCM WAV, downmixed to mono floats in [-1, 1). On failure returns NULL and
 * sets *err. The whole file is read: clips are small and it keeps chunk walking simple. */
static float *read_wav(const char *path, size_t *n_out, uint32_t *rate_out, const char **err) {
  float *samples = NULL;
  unsigned char *buf = NULL;
  FILE *f = fopen(path, "rb");
  if (!f) { *err = "cannot open file"; return NULL; }
  long size = (fseek(f, 0, SEEK_END) == 0) ? ftell(f) : -1;
  if (size < 12 || fseek(f, 0, SEEK_SET) != 0) { *err = "not a RIFF/WAVE file"; goto done; }
  buf = malloc((size_t)size);
  if (!buf || fread(buf, 1, (size_t)size, f) != (size_t)size) { *err = "read failed"; goto done; }
  if (memcmp(buf, "RIFF", 4) || memcmp(buf + 8, "WAVE", 4)) { *err = "not a RIFF/WAVE file"; goto done; }

  const unsigned char *fmt = NULL, *data = NULL;
  size_t data_len = 0;
  size_t pos = 12, end = (size_t)size;
  /* Walk every chunk; unknown ones (LIST, fact, ...) are skipped. Chunks are word-aligned. */
  while (pos + 8 <= end) {
    const unsigned char *id = buf + pos;
    size_t len = le32(buf + pos + 4), body = pos + 8;
    if (!memcmp(id, "data", 4) && !data) {
      /* Streaming writers may leave a placeholder size; trust the file length instead. */
      data = buf + body;
      data_len = len <= end - body ? len : end - body;
    } else if (len > end - body) {
      *err = "truncated chunk";
      goto done;
    } else if (!memcmp(id, "fmt ", 4)) {
      if (len < 16) { *err = "fmt chunk too short"; goto done; }
      fmt = buf + body;
      if (le16(fmt) == 0xFFFE && (len < 26 || le16(fmt + 24) != 1)) { *err = "extensible format is not PCM"; goto done; }
    }
    if (len > end - body) break; /* data ran to end of file */
    pos = body + len + (len & 1);
  }
  if (!fmt) { *err = "no fmt chunk"; goto done; }
  if (!data) { *err = "no data chunk"; goto done; }
  uint16_t format = le16(fmt), channels = le16(fmt + 2), bits = le16(fmt + 14);
  if (format != 1 && format != 0xFFFE) { *err = "not PCM (only 16-bit PCM is supported)"; goto done; }
  if (bits != 16) { *err = "not 16-bit (only 16-bit PCM is supported)"; goto done; }
  if (channels == 0) { *err = "zero channels"; goto done; }

  size_t frames = data_len / (2u * channels);
  samples = malloc((frames ? frames : 1) * sizeof *samples);
  if (!samples) { *err = "out of memory"; goto done; }
  /* Mean over channels: exact integer sum, one float rounding; 1/32768 keeps -32768 -> -1. */
  const float scale = 32768.0f * (float)channels;
  for (size_t i = 0; i < frames; i++) {
    int32_t sum = 0;
    for (unsigned c = 0; c < channels; c++) sum += (int16_t)le16(data + 2 * (i * channels + c));
    samples[i] = (float)sum / scale;
  }
  *n_out = frames;
  *rate_out = le32(fmt + 4);
done:
  free(buf);
  fclose(f);
  return samples;
}

/* ---- output helpers ------------------------------------------------------------------- */

/* Shortest decimal that parses back (strtof) to exactly v: what C#'s float.ToString() gives. */
static void format_float(char *out, size_t cap, float v) {
  if (!isfinite(v)) { snprintf(out, cap, "%s", isnan(v) ? "NaN" : v > 0 ? "Infinity" : "-Infinity"); return; }
  for (int p = 1; p <= 9; p++) {
    snprintf(out, cap, "%.*g", p, (double)v);
    if (strtof(out, NULL) == v) return;
  }
}

typedef struct { float score; int index; } Ranked;

/* Score descending, ties by lower index; NaN ranks last so the order is total. */
static int by_rank(const void *pa, const void *pb) {
  const Ranked *a = pa, *b = pb;
  float sa = isnan(a->score) ? -INFINITY : a->score, sb = isnan(b->score) ? -INFINITY : b->score;
  if (sa != sb) return sa > sb ? -1 : 1;
  return (a->index > b->index) - (a->index < b->index);
}

static int by_double(const void *pa, const void *pb) {
  double a = *(const double *)pa, b = *(const double *)pb;
  return (a > b) - (a < b);
}

/* Nearest-rank percentile of sorted values. */
static double percentile(const double *v, int n, double p) {
  int k = (int)ceil(p / 100.0 * n);
  return v[k < 1 ? 0 : k - 1];
}

static double now_ms(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

/* Product of the tensor's dims; 0 if any dim is non-positive or it overflows int. */
static int element_count(const TfLiteTensor *t) {
  long long n = 1;
  for (int i = 0; i < TfLiteTensorNumDims(t); i++) {
    int d = TfLiteTensorDim(t, i);
    if (d <= 0 || (n *= d) > INT_MAX) return 0;
  }
  return (int)n;
}

/* Keeps top[0..k) sorted by rank while scanning scores once: O(classes * k), no full sort. */
static int select_top(const float *scores, int classes, Ranked *top, int k) {
  int n = 0;
  for (int i = 0; i < classes; i++) {
    Ranked r = {scores[i], i};
    if (n == k && by_rank(&r, &top[k - 1]) >= 0) continue;
    int j = n < k ? n++ : k - 1;
    while (j > 0 && by_rank(&r, &top[j - 1]) < 0) { top[j] = top[j - 1]; j--; }
    top[j] = r;
  }
  return n;
}

/* Every window of the clip, as the C# pipeline frames them: window k starts at k * hop,
 * max(1, ceil((N - W) / hop) + 1) windows, zero past the end; each written straight into the
 * input tensor, invoked, and its top-k printed (scores as the golden CSVs print them). */
static int classify_all(TfLiteInterpreter *interp, const float *wav, size_t wav_n, int in_len, int classes,
                        int hop, int top_k, Ranked *top) {
  TfLiteTensor *in_t = TfLiteInterpreterGetInputTensor(interp, 0);
  const TfLiteTensor *out_t = TfLiteInterpreterGetOutputTensor(interp, 0);
  float *in = TfLiteTensorData(in_t);
  const float *scores = TfLiteTensorData(out_t);
  if (!in || !scores) return fail(1, "%s", "tensor has no data");
  size_t windows = wav_n <= (size_t)in_len ? 1 : (wav_n - (size_t)in_len + (size_t)hop - 1) / (size_t)hop + 1;
  int k = top_k < classes ? top_k : classes;
  printf("window,start_sample,rank,index,score\n");
  for (size_t w = 0; w < windows; w++) {
    size_t start = w * (size_t)hop, avail = start < wav_n ? wav_n - start : 0;
    size_t copy = avail < (size_t)in_len ? avail : (size_t)in_len;
    if (copy) memcpy(in, wav + start, copy * sizeof *in);
    memset(in + copy, 0, ((size_t)in_len - copy) * sizeof *in);
    if (TfLiteInterpreterInvoke(interp) != kTfLiteOk) return fail(1, "%s", "invoke failed");
    int n = select_top(scores, classes, top, k);
    for (int r = 0; r < n; r++) printf("%zu,%zu,%d,%d,%.8f\n", w, start, r, top[r].index, (double)top[r].score);
  }
  return fflush(stdout) == 0 ? 0 : 1;
}

/* ---- --trial ---------------------------------------------------------------------------- */

#define TRIAL_REFUSED 3

/* The child of the C# unknown-model trial (ModelTrial.Check): a model that crashes TFLite must
 * crash this process, not the caller. It reads nothing but the model, which the parent has already
 * validated and copied to a private file, and settings the parent formatted; so a crash here is
 * the model's. First line on stdout: "library<TAB>version<TAB>path" of the TFLite library actually
 * loaded, so the parent can check it is its own (it points us at it with LD_PRELOAD). Then: load,
 * build with the same delegate settings, fill every float32 input with a tone (other inputs zero),
 * invoke twice. No core file: a crash is the expected outcome of some trials. */
static int trial(const Options *o) {
  struct rlimit no_core = {0, 0};
  setrlimit(RLIMIT_CORE, &no_core);
  Dl_info info;
  char real[PATH_MAX];
  const char *lib = dladdr((void *)(uintptr_t)TfLiteVersion, &info) && info.dli_fname ? info.dli_fname : "?";
  printf("library\t%s\t%s\n", TfLiteVersion(), realpath(lib, real) ? real : lib);
  if (fflush(stdout) != 0) return 1;

  int rc = 0;
  TfLiteModel *model = TfLiteModelCreateFromFile(o->model);
  TfLiteInterpreterOptions *iopts = NULL;
  TfLiteDelegate *delegate = NULL;
  TfLiteInterpreter *interp = NULL;
  if (!model) { rc = fail(TRIAL_REFUSED, "%s", "TFLite could not build a model from the file"); goto out; }
  iopts = TfLiteInterpreterOptionsCreate();
  TfLiteInterpreterOptionsSetNumThreads(iopts, o->threads);
  if (o->xnnpack) {
    const char *why = NULL;
    delegate = yamnet_xnnpack_delegate_create(o->threads, o->flags, &why);
    if (!delegate) { rc = fail(TRIAL_REFUSED, "%s", why); goto out; }
    TfLiteInterpreterOptionsAddDelegate(iopts, delegate);
  }
  interp = TfLiteInterpreterCreate(model, iopts);
  if (!interp) { rc = fail(TRIAL_REFUSED, "%s", "TfLiteInterpreterCreate failed"); goto out; }
  if (TfLiteInterpreterAllocateTensors(interp) != kTfLiteOk) { rc = fail(TRIAL_REFUSED, "%s", "AllocateTensors failed"); goto out; }
  for (int i = 0; i < TfLiteInterpreterGetInputTensorCount(interp); i++) {
    TfLiteTensor *t = TfLiteInterpreterGetInputTensor(interp, i);
    void *data = t ? TfLiteTensorData(t) : NULL;
    size_t bytes = t ? TfLiteTensorByteSize(t) : 0;
    if (!data) continue;
    memset(data, 0, bytes);
    if (TfLiteTensorType(t) != kTfLiteFloat32) continue;
    float *f = data;
    for (size_t k = 0; k < bytes / sizeof *f; k++) f[k] = 0.25f * sinf((float)k * 2.0f * 3.14159265f * 440.0f / 16000.0f);
  }
  for (int n = 0; n < 2; n++)
    if (TfLiteInterpreterInvoke(interp) != kTfLiteOk) { rc = fail(TRIAL_REFUSED, "%s", "Invoke failed"); goto out; }
out:
  TfLiteInterpreterDelete(interp);
  if (delegate) TfLiteXNNPackDelegateDelete(delegate);
  TfLiteInterpreterOptionsDelete(iopts);
  TfLiteModelDelete(model);
  return rc;
}

/* ---- main ----------------------------------------------------------------------------- */

int main(int argc, char **argv) {
  Options o;
  int rc = parse_args(argc, argv, &o);
  if (rc) return rc;
  if (o.trial) return trial(&o);

  float *wav = NULL, *input = NULL, *scores = NULL;
  double *lat = NULL;
  Ranked *ranked = NULL;
  size_t wav_n = 0;
  TfLiteModel *model = NULL;
  TfLiteInterpreterOptions *iopts = NULL;
  TfLiteInterpreter *interp = NULL;
  TfLiteDelegate *delegate = NULL;

  if (o.wav) {
    const char *err = NULL;
    uint32_t rate = 0;
    wav = read_wav(o.wav, &wav_n, &rate, &err);
    if (!wav) {
      fprintf(stderr, "tflite-probe: error: bad WAV '%s': %s\n", o.wav, err);
      return 2;
    }
    if (rate != 16000) fprintf(stderr, "tflite-probe: warning: %s is %u Hz; YAMNet expects 16000 Hz (no resampling done)\n", o.wav, rate);
  }

  model = TfLiteModelCreateFromFile(o.model);
  if (!model) { rc = fail(2, "cannot load model '%s' (missing or not a valid .tflite file)", o.model); goto out; }

  iopts = TfLiteInterpreterOptionsCreate();
  TfLiteInterpreterOptionsSetNumThreads(iopts, o.threads);
  if (o.xnnpack) {
    const char *why = NULL;
    delegate = yamnet_xnnpack_delegate_create(o.threads, o.flags, &why);
    if (!delegate) {
      char msg[256];
      snprintf(msg, sizeof msg, "%s (library reports TFLite %s)", why, TfLiteVersion());
      rc = fail(1, "%s", msg);
      goto out;
    }
    TfLiteInterpreterOptionsAddDelegate(iopts, delegate);
  }
  interp = TfLiteInterpreterCreate(model, iopts);
  if (!interp) { rc = fail(1, "%s", "TfLiteInterpreterCreate failed (see TFLite messages above)"); goto out; }
  if (TfLiteInterpreterAllocateTensors(interp) != kTfLiteOk) { rc = fail(1, "%s", "AllocateTensors failed"); goto out; }

  if (TfLiteInterpreterGetInputTensorCount(interp) < 1 || TfLiteInterpreterGetOutputTensorCount(interp) < 1) {
    rc = fail(2, "model '%s' has no input or output tensor", o.model);
    goto out;
  }
  TfLiteTensor *in_t = TfLiteInterpreterGetInputTensor(interp, 0);
  const TfLiteTensor *out_t = TfLiteInterpreterGetOutputTensor(interp, 0);
  int in_len = element_count(in_t), classes = element_count(out_t);
  if (TfLiteTensorType(in_t) != kTfLiteFloat32 || TfLiteTensorType(out_t) != kTfLiteFloat32 || !in_len || !classes) {
    rc = fail(2, "model '%s' needs a float32 waveform input and float32 score output", o.model);
    goto out;
  }

  if (o.all_windows) {
    ranked = malloc((size_t)classes * sizeof *ranked);
    if (!ranked) { rc = fail(1, "%s", "out of memory"); goto out; }
    rc = classify_all(interp, wav, wav_n, in_len, classes, o.hop ? o.hop : (in_len + 1) / 2, o.top_k, ranked);
    goto out;
  }

  /* First window only; past the end of the clip the window is zero-padded. */
  input = calloc((size_t)in_len, sizeof *input);
  scores = malloc((size_t)classes * sizeof *scores);
  ranked = malloc((size_t)classes * sizeof *ranked);
  if (!input || !scores || !ranked) { rc = fail(1, "%s", "out of memory"); goto out; }
  if (wav) memcpy(input, wav, (wav_n < (size_t)in_len ? wav_n : (size_t)in_len) * sizeof *input);

  if (TfLiteTensorCopyFromBuffer(in_t, input, (size_t)in_len * sizeof *input) != kTfLiteOk ||
      TfLiteInterpreterInvoke(interp) != kTfLiteOk ||
      TfLiteTensorCopyToBuffer(out_t, scores, (size_t)classes * sizeof *scores) != kTfLiteOk) {
    rc = fail(1, "%s", "invoke failed");
    goto out;
  }
  for (int i = 0; i < classes; i++) ranked[i] = (Ranked){scores[i], i};
  qsort(ranked, (size_t)classes, sizeof *ranked, by_rank);
  int k = o.top_k < classes ? o.top_k : classes;

  /* Timing: same input each time; warmup lets XNNPACK/caches settle before measuring. */
  double p50 = 0, p95 = 0, p99 = 0, min = 0, mean = 0;
  if (o.iterations > 0) {
    lat = malloc((size_t)o.iterations * sizeof *lat);
    if (!lat) { rc = fail(1, "%s", "out of memory"); goto out; }
    for (int i = 0; i < o.warmup; i++)
      if (TfLiteInterpreterInvoke(interp) != kTfLiteOk) { rc = fail(1, "%s", "invoke failed"); goto out; }
    for (int i = 0; i < o.iterations; i++) {
      double t0 = now_ms();
      if (TfLiteInterpreterInvoke(interp) != kTfLiteOk) { rc = fail(1, "%s", "invoke failed"); goto out; }
      lat[i] = now_ms() - t0;
      mean += lat[i];
    }
    qsort(lat, (size_t)o.iterations, sizeof *lat, by_double);
    p50 = percentile(lat, o.iterations, 50);
    p95 = percentile(lat, o.iterations, 95);
    p99 = percentile(lat, o.iterations, 99);
    min = lat[0];
    mean /= o.iterations;
  }

  char num[32];
  if (o.json) {
    /* Shape consumed by the C# benchmark command: keep keys and order stable. */
    printf("{\"input_length\":%d,\"classes\":%d,\"top\":[", in_len, classes);
    for (int i = 0; i < k; i++) {
      format_float(num, sizeof num, ranked[i].score);
      printf("%s{\"index\":%d,\"score\":%s}", i ? "," : "", ranked[i].index,
             isfinite(ranked[i].score) ? num : "null");
    }
    printf("]");
    if (o.iterations > 0)
      printf(",\"latency_ms\":{\"p50\":%.4f,\"p95\":%.4f,\"p99\":%.4f,\"min\":%.4f,\"mean\":%.4f,\"n\":%d}",
             p50, p95, p99, min, mean, o.iterations);
    /* flags are reported as applied: 0 when no delegate is used. */
    printf(",\"threads\":%d,\"delegate\":\"%s\",\"flags\":%u}\n", o.threads,
           o.xnnpack ? "xnnpack" : "none", o.xnnpack ? o.flags : 0u);
  } else {
    for (int i = 0; i < k; i++) {
      format_float(num, sizeof num, ranked[i].score);
      printf("index: %d, score: %s\n", ranked[i].index, num);
    }
    if (o.iterations > 0)
      printf("latency_ms: p50=%.4f p95=%.4f p99=%.4f min=%.4f mean=%.4f n=%d\n", p50, p95, p99, min, mean, o.iterations);
  }
  rc = fflush(stdout) == 0 ? 0 : 1;

out:
  /* Order matters: the interpreter uses the delegate, so it goes first. */
  TfLiteInterpreterDelete(interp);
  if (delegate) TfLiteXNNPackDelegateDelete(delegate);
  TfLiteInterpreterOptionsDelete(iopts);
  TfLiteModelDelete(model);
  free(lat); free(ranked); free(scores); free(input); free(wav);
  return rc;
}
