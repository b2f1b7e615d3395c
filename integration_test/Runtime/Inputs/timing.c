/* Fake model with hand-counted Cortex-M4 cycles: LOOP_N iterations of a loop
   whose every instruction exercises one rule of the cycle estimate
   (runtime/cortex-m4-timing.h). The cycles of one iteration, counted by hand
   from the Cortex-M4 TRM's tables, are on the right: 43 in all, the loop's
   branch taken. Every extra iteration must add exactly that. The input (16
   bytes, 16-byte aligned by the harness) is read at known alignments. With
   AT_PAGE_END the loop ends at a page boundary, with LOADS_ACROSS_PAGE its
   first two (pipelined) loads are on either side of one; neither may change
   it. */
#include <stdint.h>

#ifndef LOOP_N
#error "compile with -DLOOP_N=<iterations>"
#endif

__attribute__((naked)) int pex_timing_run(const int8_t *input, int8_t *output) {
  __asm__ volatile("push {r4, r5, r6, lr}\n"
                   "ldr r2, =%c0\n"
                   "mov.w r12, #0\n"
#ifdef AT_PAGE_END
                   /* The loop's last two instructions in the last word of a
                      page (4 KiB aligned, so of QEMU's 1 KiB pages too): QEMU
                      reads the halfword after the SUBS to see whether the
                      next instruction crosses the page. */
                   "b 1f\n"
                   ".p2align 12\n"
                   ".space 4038\n"
#elif defined(LOADS_ACROSS_PAGE)
                   /* The first load in the last halfword of a page, the
                      second, pipelined after it, in the next page's first
                      word: QEMU ends a block between them. */
                   "b 1f\n"
                   ".p2align 12\n"
                   ".space 4094\n"
#endif
                   "1: ldr r3, [r0]\n"         /* 2: a load after a branch */
                   "ldr.w r4, [r0, #4]\n"      /* 1: pipelined after a load */
                   "adds r6, r0, #8\n"         /* 1 */
                   "ldr r5, [r6]\n"            /* 3: its address from the instruction before */
                   "smlad r4, r3, r4, r4\n"    /* 1 */
                   "str r4, [r1]\n"            /* 1: a store with an immediate offset */
                   "ldr r5, [r0, #1]\n"        /* 4: after a store; a byte-aligned word: +2 */
                   "ldrh r5, [r0, #1]\n"       /* 2: pipelined; a byte-aligned halfword: +1 */
                   "str r5, [r1, r12]\n"       /* 1: a register-offset store after a load */
                   "ldm r0, {r3, r4}\n"        /* 3: 1 + N */
                   "udiv r3, r3, r2\n"         /* 12: the worst case of 2 to 12 */
                   "smlal r3, r4, r5, r6\n"    /* 1 */
                   "cmp r3, r3\n"              /* 1 */
                   "it eq\n"                   /* 1 */
                   "moveq r3, #1\n"            /* 1 */
                   "vmla.f32 s0, s1, s2\n"     /* 3 */
                   "cbz r6, 2f\n"              /* 1: not taken */
                   "subs r2, r2, #1\n"         /* 1 */
                   "bne 1b\n"                  /* 3: taken, 1 + P with P = 2 */
                   "2: movs r0, #0\n"
                   "pop {r4, r5, r6, pc}\n"
                   ".ltorg\n"
                   :
                   : "i"(LOOP_N));
}
