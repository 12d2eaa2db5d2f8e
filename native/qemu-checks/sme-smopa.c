// Does the emulator implement SME's SMOPA (signed int8 4-way outer product into a 32-bit ZA tile)
// as the architecture defines it? Under qemu-user 7.2 with -cpu max, TFLite 2.19's XNNPACK picks a
// KleidiAI SME kernel (pqs8_qc8w_gemm ... 32x32c4__neonsme, built on SMOPA) and YAMNet's scores come
// out wrong; with sme=off they are exact. This separates the emulator from the kernel: one SMOPA per
// tile on fixed data, compared with the scalar definition, plus a ZA load/store round trip that does
// not involve SMOPA (so a wrong SMOPA result is not a wrong tile store).
// Build: aarch64-linux-gnu-gcc -O1 -static sme-smopa.c sme-smopa.S; run: qemu-aarch64 -cpu max ./a.out
#include <stdint.h>
#include <stdio.h>
#include <string.h>

extern uint64_t yq_svl_bytes(void);
extern void yq_smopa_tile(int tile, const int8_t* a, const int8_t* b, int32_t* out, uint64_t rows);
extern void yq_za_roundtrip(const int32_t* in, int32_t* out, uint64_t rows);

int main(void) {
  static int8_t a[256], b[256];
  static int32_t out[64 * 64], ref[64 * 64], in[64 * 64];
  uint64_t n = yq_svl_bytes() / 4;  // a 32-bit ZA tile is n x n
  if (n == 0 || n > 64) { printf("unexpected streaming vector length %llu\n", (unsigned long long)n * 4); return 2; }

  for (uint64_t i = 0; i < n * n; i++) in[i] = (int32_t)(i * 7919 + 1);
  yq_za_roundtrip(in, out, n);
  int rt_wrong = 0;
  for (uint64_t i = 0; i < n * n; i++) rt_wrong += in[i] != out[i];
  printf("SVL %llu bytes: ZA.S ld1w/st1w round trip: %d of %llu elements wrong\n",
         (unsigned long long)n * 4, rt_wrong, (unsigned long long)(n * n));

  for (int i = 0; i < 256; i++) { a[i] = (int8_t)(i * 37 + 11); b[i] = (int8_t)(i * 91 - 50); }
  // SMOPA ZAda.S, Zn.B, Zm.B: ZA[i][j] += sum over k<4 of Zn.B[4i+k] * Zm.B[4j+k]
  for (uint64_t i = 0; i < n; i++)
    for (uint64_t j = 0; j < n; j++) {
      int32_t s = 0;
      for (int k = 0; k < 4; k++) s += a[4 * i + k] * b[4 * j + k];
      ref[i * n + j] = s;
    }
  int smopa_wrong = 0;
  for (int t = 0; t < 4; t++) {
    memset(out, 0x55, sizeof out);
    yq_smopa_tile(t, a, b, out, n);
    int wrong = 0;
    for (uint64_t i = 0; i < n * n; i++) wrong += out[i] != ref[i];
    printf("SVL %llu bytes: SMOPA into za%d.s: %d of %llu elements wrong\n",
           (unsigned long long)n * 4, t, wrong, (unsigned long long)(n * n));
    smopa_wrong += wrong;
  }
  printf("%s\n", rt_wrong ? "ZA load/store is broken" : smopa_wrong ? "SMOPA is emulated wrongly" : "SMOPA and ZA load/store are correct");
  return rt_wrong || smopa_wrong;
}
