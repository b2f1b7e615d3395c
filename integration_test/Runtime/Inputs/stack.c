/* Fake model with a known stack need: a STACK_BYTES local array that is fully
   written and read back, so at least that much stack below the caller's SP is
   touched. */
#include <stdint.h>

#ifndef STACK_BYTES
#define STACK_BYTES 6000
#endif

int pex_stack_run(const uint8_t *input, int32_t *output) {
  volatile uint8_t buf[STACK_BYTES]; /* volatile: no folding the array away */
  for (int i = 0; i < STACK_BYTES; ++i)
    buf[i] = (uint8_t)(input[i % 16] + i);
  int32_t sum = 0;
  for (int i = 0; i < STACK_BYTES; ++i)
    sum += buf[i];
  *output = sum;
  return 0;
}
