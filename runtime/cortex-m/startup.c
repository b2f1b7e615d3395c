/* Pex Cortex-M startup: vector table, reset handler, fault handler.

   Works for ARMv6-M (M0+), ARMv7E-M (M4, M7) and ARMv8-M mainline (M33, Secure
   state). The linker scripts in this directory place .pex_vectors first in flash
   and define the __pex_* symbols used here. No libc is needed: the reset handler
   copies .data, zeroes .bss, enables the FPU, builds argc/argv from the semihosting
   command line, calls main and exits through semihosting with main's return value
   (QEMU's exit code). */
#include <stdint.h>

#include "semihost.h"

extern uint32_t __pex_stack_limit[], __pex_stack_top[];
extern uint32_t __pex_data_load[], __pex_data_start[], __pex_data_end[];
extern uint32_t __pex_bss_start[], __pex_bss_end[];

int main(int argc, char **argv);
__attribute__((noreturn)) void pex_reset_handler(void);
void pex_fault_handler(void);
__attribute__((noreturn)) void pex_fault_report(void);

/* The architecture's 16 system entries; no external interrupts are used. The
   initial SP is loaded by the hardware from entry 0 before the reset handler runs,
   so the handler can be plain C. */
struct pex_vector_table {
  void *initial_sp;
  void (*handlers[15])(void);
};

__attribute__((section(".pex_vectors"), used)) const struct pex_vector_table pex_vectors = {
    __pex_stack_top,
    {
        pex_reset_handler, /* 1 Reset */
        pex_fault_handler, /* 2 NMI */
        pex_fault_handler, /* 3 HardFault */
        pex_fault_handler, /* 4 MemManage (v7-M/v8-M mainline) */
        pex_fault_handler, /* 5 BusFault */
        pex_fault_handler, /* 6 UsageFault */
        pex_fault_handler, /* 7 SecureFault (v8-M) */
        0, 0, 0,           /* 8-10 reserved */
        pex_fault_handler, /* 11 SVCall */
        pex_fault_handler, /* 12 DebugMonitor */
        0,                 /* 13 reserved */
        pex_fault_handler, /* 14 PendSV */
        pex_fault_handler, /* 15 SysTick */
    }};

/* argv storage. The host command line (QEMU: kernel path + -append text) must fit
   in PEX_CMDLINE_MAX bytes, otherwise main sees argc == 0 and the harness falls back
   to its compile-time paths. */
#ifndef PEX_CMDLINE_MAX
#define PEX_CMDLINE_MAX 512
#endif
#define PEX_ARGV_MAX 8
static char pex_cmdline[PEX_CMDLINE_MAX];
static char *pex_argv[PEX_ARGV_MAX + 1];

static int pex_build_argv(void) {
  uintptr_t block[2] = {(uintptr_t)pex_cmdline, sizeof pex_cmdline};
  if (pex_semihost(PEX_SH_GET_CMDLINE, block) != 0)
    return 0;
  int argc = 0;
  char *p = pex_cmdline;
  while (*p && argc < PEX_ARGV_MAX) {
    while (*p == ' ')
      *p++ = 0;
    if (!*p)
      break;
    pex_argv[argc++] = p;
    while (*p && *p != ' ')
      ++p;
  }
  if (*p)
    *p = 0; /* ignore the arguments past PEX_ARGV_MAX */
  pex_argv[argc] = 0;
  return argc;
}

void pex_reset_handler(void) {
#if defined(__ARM_FP)
  /* CPACR (0xE000ED88): full access to CP10/CP11, the FPU. Until this is set every
     FP instruction faults (NOCP UsageFault), so it comes before any code that could
     use FP registers. DSB makes the store complete; ISB flushes the pipeline so no
     later instruction was fetched/decoded under the old setting (ARMv7-M ARM,
     "Enabling the floating-point extension"). */
  volatile uint32_t *cpacr = (volatile uint32_t *)0xE000ED88u;
  *cpacr |= 0xFu << 20;
  __asm__ volatile("dsb\n\tisb" ::: "memory");
#endif
#if defined(__ARM_ARCH_8M_MAIN__)
  /* ARMv8-M: the main stack limit register turns a stack overflow into a
     UsageFault (STKOF) instead of silently corrupting what lies below. */
  __asm__ volatile("msr msplim, %0" : : "r"(__pex_stack_limit));
#endif
  /* volatile: with -ffreestanding clang does not turn these loops into memcpy/memset
     calls, but volatile also keeps them loops when built without it. */
  volatile uint32_t *dst = __pex_data_start;
  const uint32_t *src = __pex_data_load;
  while (dst < __pex_data_end)
    *dst++ = *src++;
  for (dst = __pex_bss_start; dst < __pex_bss_end;)
    *dst++ = 0;

  int argc = pex_build_argv();
  pex_sh_exit(main(argc, pex_argv));
}

/* Any exception is unexpected: report it and stop QEMU with exit code 126, rather
   than let the core lock up (QEMU would then hang until a timeout). The likeliest
   fault is a stack overflow, which leaves no usable stack (and on ARMv8-M, SP at
   MSPLIM, where any push faults again), so the naked entry first moves SP back to
   the top of the stack; nothing returns from here. A plain `b` cannot reach far
   enough on ARMv6-M, hence the bx through a register. */
__attribute__((naked)) void pex_fault_handler(void) {
  __asm__ volatile("ldr r0, =__pex_stack_top\n"
                   "mov sp, r0\n"
                   "ldr r0, =pex_fault_report\n"
                   "bx r0\n"
                   ".ltorg\n");
}

__attribute__((noreturn, used)) void pex_fault_report(void) {
  uint32_t ipsr;
  __asm__ volatile("mrs %0, ipsr" : "=r"(ipsr));
  /* Copied by a loop: an initialised local array may become a memcpy call. */
  static const char text[] = "pex-run: error=fault exception=000";
  char msg[sizeof text];
  for (unsigned i = 0; i < sizeof text; ++i)
    msg[i] = text[i];
  unsigned n = ipsr & 0x1FFu;
  msg[sizeof msg - 2] = (char)('0' + n % 10);
  msg[sizeof msg - 3] = (char)('0' + n / 10 % 10);
  msg[sizeof msg - 4] = (char)('0' + n / 100);
  pex_sh_puts(msg);
  pex_sh_exit(126);
}
