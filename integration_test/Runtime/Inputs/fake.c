/* Fake model: int8[256] -> float[16], through an external arena. Integer and
   float work, so a wrong FPU set-up or arena placement shows up as a wrong output.
   Compile with -ffp-contract=off so host and Cortex-M round identically. */
#include <stdint.h>

extern uint8_t pex_fake_arena[1024];

int pex_fake_run(const int8_t *input, float *output) {
  int32_t *acc = (int32_t *)pex_fake_arena; /* 256 int32 = the whole arena */
  for (int i = 0; i < 256; ++i)
    acc[i] = input[i] * (i % 7 - 3) + input[(i * 37) & 255];
  for (int j = 0; j < 16; ++j) {
    float s = 0.0f;
    for (int i = j; i < 256; i += 16)
      s += (float)acc[i] * 0.125f + (float)j / 3.0f;
    output[j] = s / (1.0f + (float)(j * j));
  }
  /* Double precision: the M7's FPv5-D16 does it in hardware, the others in
     software (libgcc); either way IEEE, so the host must agree bit for bit. */
  double d = 0.0;
  for (int i = 0; i < 256; ++i)
    d = d * 0.999 + (double)input[i] / 7.0;
  output[15] = (float)(d - (double)output[15]);
  return input[0] == 127 ? 7 : 0; /* a non-zero status on demand */
}
