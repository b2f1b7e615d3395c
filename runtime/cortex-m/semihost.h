/* Minimal ARM semihosting for the Pex Cortex-M runtime (startup.c, harness.c).

   Why not newlib's rdimon: its stdio allocates FILE buffers with malloc (a heap and
   ~1-2 KiB of RAM that would be charged to the model), and its crt0 has no vector
   table anyway. A dozen lines of direct semihosting calls do the same file I/O with
   no heap and keep .data/.bss down to the harness's input/output buffers.

   Calls: BKPT 0xAB with the operation in r0 and a pointer to its argument block in
   r1; the result comes back in r0 (ARM "Semihosting for AArch32 and AArch64",
   M-profile uses BKPT, not SVC). QEMU needs -semihosting-config enable=on. */
#ifndef PEX_CORTEX_M_SEMIHOST_H
#define PEX_CORTEX_M_SEMIHOST_H

#include <stddef.h>
#include <stdint.h>

enum {
  PEX_SH_OPEN = 0x01,
  PEX_SH_CLOSE = 0x02,
  PEX_SH_WRITE = 0x05,
  PEX_SH_READ = 0x06,
  PEX_SH_FLEN = 0x0C,
  PEX_SH_GET_CMDLINE = 0x15,
  PEX_SH_EXIT = 0x18,
  PEX_SH_EXIT_EXTENDED = 0x20,
};

/* SYS_OPEN modes are indices into the ISO C fopen mode list. */
enum { PEX_SH_MODE_RB = 1, PEX_SH_MODE_W = 4, PEX_SH_MODE_WB = 5 };

/* ADP_Stopped_ApplicationExit: the reason code for a normal exit. */
#define PEX_SH_APPLICATION_EXIT 0x20026u

static inline uintptr_t pex_semihost(uintptr_t op, const void *arg) {
  register uintptr_t r0 __asm__("r0") = op;
  register const void *r1 __asm__("r1") = arg;
  /* "memory": the host reads and writes the argument block and buffers. */
  __asm__ volatile("bkpt 0xab" : "+r"(r0) : "r"(r1) : "memory");
  return r0;
}

static inline size_t pex_sh_strlen(const char *s) {
  size_t n = 0;
  while (s[n])
    ++n;
  return n;
}

/* Returns a host handle, or -1. The name ":tt" opens the host's stdout (mode "w"). */
static inline int pex_sh_open(const char *path, uintptr_t mode) {
  uintptr_t block[3] = {(uintptr_t)path, mode, pex_sh_strlen(path)};
  return (int)pex_semihost(PEX_SH_OPEN, block);
}

static inline int pex_sh_close(int fd) {
  uintptr_t block[1] = {(uintptr_t)fd};
  return (int)pex_semihost(PEX_SH_CLOSE, block);
}

/* Both return the number of bytes NOT transferred (0 on full success). */
static inline size_t pex_sh_read(int fd, void *buf, size_t n) {
  uintptr_t block[3] = {(uintptr_t)fd, (uintptr_t)buf, n};
  return pex_semihost(PEX_SH_READ, block);
}

static inline size_t pex_sh_write(int fd, const void *buf, size_t n) {
  uintptr_t block[3] = {(uintptr_t)fd, (uintptr_t)buf, n};
  return pex_semihost(PEX_SH_WRITE, block);
}

/* File length in bytes, or -1. */
static inline long pex_sh_flen(int fd) {
  uintptr_t block[1] = {(uintptr_t)fd};
  return (long)pex_semihost(PEX_SH_FLEN, block);
}

/* Writes a line to the host's stdout (not the semihosting console, which QEMU
   sends to stderr). */
static inline void pex_sh_puts(const char *s) {
  int fd = pex_sh_open(":tt", PEX_SH_MODE_W);
  if (fd < 0)
    return;
  pex_sh_write(fd, s, pex_sh_strlen(s));
  pex_sh_write(fd, "\n", 1);
  pex_sh_close(fd);
}

/* Ends the simulation; QEMU exits with `status` (SYS_EXIT_EXTENDED passes the
   status through; plain SYS_EXIT on AArch32 can only say success or failure). */
static inline __attribute__((noreturn)) void pex_sh_exit(int status) {
  uintptr_t block[2] = {PEX_SH_APPLICATION_EXIT, (uintptr_t)status};
  pex_semihost(PEX_SH_EXIT_EXTENDED, block);
  pex_semihost(PEX_SH_EXIT, (const void *)(uintptr_t)(status == 0 ? PEX_SH_APPLICATION_EXIT
                                                                   : 0x20023u /* InternalError */));
  for (;;)
    __asm__ volatile("wfi");
}

#endif
