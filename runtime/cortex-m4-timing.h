/* Cortex-M4 instruction timing, an estimate for the Pex instruction counter.

   Every Thumb-2 instruction the Cortex-M4 (ARMv7E-M with FPv4-SP) executes is
   decoded far enough to charge it the cycles of the Cortex-M4 Technical
   Reference Manual's timing tables (zero wait states), plus the pairing rules
   of its load/store timing section, which depend on the instruction before.
   runtime/README.md lists the figures and what the model leaves out. */
#ifndef PEX_RUNTIME_CORTEX_M4_TIMING_H
#define PEX_RUNTIME_CORTEX_M4_TIMING_H

#include <stddef.h>
#include <stdint.h>

/* Cycles of a pipeline refill after a taken branch: "P", 1 to 3 in the TRM
   depending on the target's alignment and width; 2 is the Cortex-M3 TRM's
   figure for a taken branch ("two cycles are added"). */
#define M4_REFILL 2

enum m4_kind {
  M4_OTHER,     /* no pairing rule applies */
  M4_ALU,       /* data processing: writes `writes`, which an address can wait for */
  M4_LOAD,      /* LDR{B,H,SB,SH} (not to PC), LDREX, STREX: pipelines after a load */
  M4_STORE,     /* STR{B,H} with an immediate offset: always one cycle */
  M4_STORE_REG, /* STR{B,H} with a register offset: two cycles, one after a load */
  M4_BLOCKING,  /* LDM, STM, PUSH, POP, LDRD, STRD, TBB, LDR PC, VLDR, ...: never pipelined */
  M4_IT,        /* IT: makes the next `it_count` instructions conditional */
};

struct m4_insn {
  uint8_t kind;
  /* Cycles on its own, including the refill when it always branches. */
  uint8_t cycles;
  /* 4 or 2: a word or halfword access whose address may be unaligned
     (base neither SP nor PC); 0 otherwise. Unaligned, it costs more. */
  uint8_t unaligned_size;
  /* Changes the flow whenever it executes (B, BL, BX, POP {pc}, ...). */
  uint8_t branches;
  /* B<cond>, CBZ, CBNZ: one cycle not taken, M4_REFILL more when taken. */
  uint8_t conditional_branch;
  uint8_t it_count;
  /* Core registers written by a data-processing instruction. */
  uint16_t writes;
  /* Core registers a load or store computes its address from. */
  uint16_t address;
  /* The destination of a single load. */
  uint16_t loaded;
};

/* Decodes one Thumb instruction of `size` bytes (2 or 4), as QEMU hands it to
   a plugin: halfwords in memory order, each little-endian. */
void m4_decode(const uint8_t *bytes, size_t size, struct m4_insn *insn);

/* The size of the Thumb instruction starting at `bytes`, from its first
   halfword (2 or 4), as the core decodes it. A plugin's own size can be
   larger: translating the last halfword of a page, QEMU reads the next
   halfword to see whether the instruction after crosses the page, and
   counts it in the 16-bit instruction before. */
size_t m4_insn_size(const uint8_t *bytes);

/* Cycles of `insn` executed right after `prev` (NULL: after a branch, where no
   pairing rule applies). */
unsigned m4_cycles_after(const struct m4_insn *prev, const struct m4_insn *insn);

/* Extra cycles of an unaligned access of `size` bytes at `address`: a
   halfword-aligned word or a byte-aligned halfword is split in two accesses
   (+1), a byte-aligned word in three (+2). */
static inline unsigned m4_unaligned_penalty(unsigned size, uint64_t address) {
  if (size == 4)
    return (address & 1) ? 2 : (address & 2) ? 1 : 0;
  return (unsigned)(address & 1);
}

#endif /* PEX_RUNTIME_CORTEX_M4_TIMING_H */
