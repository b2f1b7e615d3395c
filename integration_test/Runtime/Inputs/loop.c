/* Fake model with a known instruction count: LOOP_N iterations of a two-instruction
   loop, written in assembly so the count does not depend on the compiler:
     ldr, LOOP_N x (subs, bne), ldr, str, movs, bx  =  2 * LOOP_N + 5 instructions.
   The output is the input, copied as one word (ARMv6-M compatible code). */
#include <stdint.h>

#ifndef LOOP_N
#error "compile with -DLOOP_N=<iterations>"
#endif

__attribute__((naked)) int pex_loop_run(const int8_t *input, int8_t *output) {
  __asm__ volatile("ldr r2, =%c0\n"
                   "1: subs r2, r2, #1\n"
                   "bne 1b\n"
                   "ldr r3, [r0]\n"
                   "str r3, [r1]\n"
                   "movs r0, #0\n"
                   "bx lr\n"
                   ".ltorg\n"
                   :
                   : "i"(LOOP_N));
}
