/* Cortex-M4 instruction timing: Thumb-2 decoding into the classes of the
   Cortex-M4 TRM's cycle tables (processor instructions; FPU instructions), and
   its load/store pairing rules. Encodings as in the ARMv7-M Architecture
   Reference Manual, chapter A5 (Thumb instruction set encoding). */
#include "cortex-m4-timing.h"

#include <string.h>

#define REG(n) ((uint16_t)(1u << ((n) & 15)))
#define SP 13
#define PC 15

/* Estimate for SDIV/UDIV, "2 to 12" cycles depending on the operands, which a
   translation-time model does not see: the worst case. */
#define M4_DIVIDE 12

static void alu(struct m4_insn *d, unsigned cycles, uint16_t writes) {
  d->kind = M4_ALU;
  d->cycles = (uint8_t)cycles;
  d->writes = writes;
}

/* A single load or store of `bytes` bytes with base `rn` (and `rm`, or -1). */
static void single(struct m4_insn *d, enum m4_kind kind, unsigned bytes, int rn, int rm, int rt) {
  d->kind = (uint8_t)kind;
  d->cycles = kind == M4_STORE ? 1 : 2;
  d->address = (uint16_t)(REG(rn) | (rm >= 0 ? REG(rm) : 0));
  if (kind == M4_LOAD)
    d->loaded = REG(rt);
  if ((bytes == 2 || bytes == 4) && rn != SP && rn != PC)
    d->unaligned_size = (uint8_t)bytes;
}

static void blocking(struct m4_insn *d, unsigned cycles, int rn) {
  d->kind = M4_BLOCKING;
  d->cycles = (uint8_t)cycles;
  d->address = REG(rn);
}

static void branch(struct m4_insn *d, unsigned cycles) {
  d->cycles = (uint8_t)(cycles + M4_REFILL);
  d->branches = 1;
}

static void conditional_branch(struct m4_insn *d) {
  d->cycles = 1;
  d->conditional_branch = 1;
}

static unsigned count_bits(unsigned value) { return (unsigned)__builtin_popcount(value); }

static void decode16(uint16_t h, struct m4_insn *d) {
  unsigned low3 = h & 7, high3 = (h >> 8) & 7;
  if ((h >> 14) == 0) { /* shift (immediate), add, subtract, move, compare */
    unsigned op = (h >> 11) & 7;
    if (op <= 3)
      alu(d, 1, REG(low3));
    else if (op != 5) /* CMP writes no register */
      alu(d, 1, REG(high3));
    else
      alu(d, 1, 0);
  } else if ((h >> 10) == 0x10) { /* data processing (register) */
    unsigned op = (h >> 6) & 15;
    int compares = op == 8 || op == 10 || op == 11; /* TST, CMP, CMN */
    alu(d, 1, compares ? 0 : REG(low3));
  } else if ((h >> 10) == 0x11) { /* special data processing, BX, BLX */
    unsigned op = (h >> 8) & 3, rd = ((h >> 4) & 8) | low3;
    if (op == 3)
      branch(d, 1);
    else if (op == 1)
      alu(d, 1, 0);
    else if (rd == PC)
      branch(d, 1);
    else
      alu(d, 1, REG(rd));
  } else if ((h >> 11) == 0x09) { /* LDR (literal) */
    single(d, M4_LOAD, 4, PC, -1, (int)high3);
  } else if ((h >> 12) == 0x5) { /* load/store, register offset */
    unsigned op = (h >> 9) & 7;
    static const uint8_t bytes[8] = {4, 2, 1, 1, 4, 2, 1, 2};
    int rm = (h >> 6) & 7, rn = (h >> 3) & 7;
    single(d, op < 3 ? M4_STORE_REG : M4_LOAD, bytes[op], rn, rm, (int)low3);
  } else if ((h >> 13) == 0x3) { /* STR, LDR, STRB, LDRB (immediate) */
    unsigned byte = (h >> 12) & 1, load = (h >> 11) & 1;
    single(d, load ? M4_LOAD : M4_STORE, byte ? 1 : 4, (h >> 3) & 7, -1, (int)low3);
  } else if ((h >> 12) == 0x8) { /* STRH, LDRH (immediate) */
    single(d, (h >> 11) & 1 ? M4_LOAD : M4_STORE, 2, (h >> 3) & 7, -1, (int)low3);
  } else if ((h >> 12) == 0x9) { /* STR, LDR (SP-relative) */
    single(d, (h >> 11) & 1 ? M4_LOAD : M4_STORE, 4, SP, -1, (int)high3);
  } else if ((h >> 12) == 0xA) { /* ADR, ADD (SP plus immediate) */
    alu(d, 1, REG(high3));
  } else if ((h >> 12) == 0xB) { /* miscellaneous */
    if ((h & 0xFF00) == 0xB000) /* ADD, SUB SP */
      alu(d, 1, REG(SP));
    else if ((h & 0xF500) == 0xB100) /* CBZ, CBNZ */
      conditional_branch(d);
    else if ((h & 0xFF00) == 0xB200 || (h & 0xFF00) == 0xBA00) /* extend, reverse */
      alu(d, 1, REG(low3));
    else if ((h & 0xFE00) == 0xB400) /* PUSH */
      blocking(d, 1 + count_bits(h & 0x1FF), SP);
    else if ((h & 0xFE00) == 0xBC00) { /* POP */
      blocking(d, 1 + count_bits(h & 0x1FF), SP);
      if (h & 0x100)
        branch(d, d->cycles);
    } else if ((h & 0xFF00) == 0xBF00 && (h & 15)) { /* IT */
      d->kind = M4_IT;
      d->it_count = (uint8_t)(4 - __builtin_ctz(h & 15));
    }
  } else if ((h >> 12) == 0xC) { /* STM, LDM */
    blocking(d, 1 + count_bits(h & 0xFF), (int)high3);
  } else if ((h >> 12) == 0xD) { /* B<cond>, UDF, SVC */
    if (((h >> 9) & 7) != 7)
      conditional_branch(d);
  } else if ((h >> 11) == 0x1C) { /* B */
    branch(d, 1);
  }
}

/* FPv4-SP instructions (coprocessors 10 and 11), Cortex-M4 TRM table "FPU
   instruction set". */
static void decode_fpu(uint16_t h1, uint16_t h2, struct m4_insn *d) {
  int rn = h1 & 15, rt = h2 >> 12;
  int to_core = (h1 >> 4) & 1;
  if ((h1 & 0x0E00) == 0x0C00) {
    if ((h1 & 0x01E0) == 0x0040) { /* VMOV between two core registers and S/D */
      alu(d, 2, to_core ? (uint16_t)(REG(rt) | REG(rn)) : 0);
      return;
    }
    int vldr = (h1 & 0x0120) == 0x0100; /* P = 1, W = 0 */
    int is_double = (h2 >> 8) & 1;
    if (vldr)
      blocking(d, is_double ? 3 : 2, rn);
    else /* VLDM, VSTM, VPUSH, VPOP: imm8 counts words */
      blocking(d, 1 + (h2 & 0xFF), rn);
    return;
  }
  if ((h1 & 0x0F00) != 0x0E00)
    return;
  if (h2 & 0x10) { /* transfers between core and FP registers */
    unsigned op = (h1 >> 5) & 7;
    int scalar = (h2 >> 8) & 1;
    unsigned cycles = op == 0 && !scalar ? 2 : 1; /* VMOV Sn <-> Rt: 2 */
    alu(d, cycles, to_core && rt != PC ? REG(rt) : 0);
    return;
  }
  unsigned high = (h1 >> 7) & 1, low = (h1 >> 4) & 3;
  static const uint8_t cycles[2][4] = {
      {3, 3, 1, 1},  /* VMLA/VMLS, VNMLA/VNMLS, VMUL/VNMUL, VADD/VSUB */
      {14, 3, 3, 1}, /* VDIV, VFNMA/VFNMS, VFMA/VFMS, other */
  };
  d->cycles = cycles[high][low];
  if (high && low == 3 && (h1 & 15) == 1 && ((h2 >> 6) & 3) == 3) /* VSQRT */
    d->cycles = 14;
}

static void decode32(uint16_t h1, uint16_t h2, struct m4_insn *d) {
  unsigned op1 = (h1 >> 11) & 3, op2 = (h1 >> 4) & 0x7F;
  int rn = h1 & 15, rt = h2 >> 12, rd = (h2 >> 8) & 15, rm = h2 & 15;
  if (op1 == 1) {
    if ((op2 & 0x64) == 0x00) { /* LDM, STM (PUSH.W, POP.W) */
      blocking(d, 1 + count_bits(h2), rn);
      if (((h1 >> 4) & 1) && (h2 & 0x8000))
        branch(d, d->cycles);
    } else if ((op2 & 0x64) == 0x04) { /* dual, exclusive, table branch */
      unsigned o1 = (h1 >> 7) & 3, o2 = (h1 >> 4) & 3, o3 = (h2 >> 4) & 15;
      if (o1 == 1 && o2 == 1 && o3 <= 1) { /* TBB, TBH */
        blocking(d, 2, rn);
        d->address |= REG(rm);
        branch(d, d->cycles);
      } else if (o1 <= 1 && o2 <= 1) { /* LDREX, STREX: pipelined as LDR */
        single(d, M4_LOAD, 0, rn, -1, rt);
        if (o2 == 0) /* STREX loads nothing */
          d->loaded = 0;
      } else { /* LDRD, STRD */
        blocking(d, 3, rn);
      }
    } else if ((op2 & 0x60) == 0x20) { /* data processing (shifted register) */
      unsigned op = (h1 >> 5) & 15, s = (h1 >> 4) & 1;
      int compares = rd == PC && s && (op == 0 || op == 4 || op == 8 || op == 13);
      alu(d, 1, compares ? 0 : REG(rd));
    } else if (op2 & 0x40) {
      decode_fpu(h1, h2, d);
    }
  } else if (op1 == 2) {
    if (!(h2 & 0x8000)) { /* data processing (modified or plain immediate) */
      unsigned op = (h1 >> 5) & 15, s = (h1 >> 4) & 1;
      int modified = !((h1 >> 9) & 1);
      int compares = modified && rd == PC && s && (op == 0 || op == 4 || op == 8 || op == 13);
      alu(d, 1, compares ? 0 : REG(rd));
    } else { /* branches and miscellaneous control */
      unsigned o1 = (h2 >> 12) & 5;
      if (o1 == 0 && ((h1 >> 7) & 7) != 7)
        conditional_branch(d);
      else if (o1 == 1 || o1 == 5) /* B.W, BL */
        branch(d, 1);
    }
  } else if (op1 == 3) {
    if ((op2 & 0x71) == 0x00 || (op2 & 0x67) == 0x01 || (op2 & 0x67) == 0x03 ||
        (op2 & 0x67) == 0x05) { /* load and store single */
      int load = op2 & 1;
      unsigned size = (h1 >> 5) & 3;
      unsigned bytes = size == 2 ? 4 : size == 1 ? 2 : 1;
      int registerOffset = !((h1 >> 7) & 1) && !(h2 & 0x800) && rn != PC;
      if (load && rt == PC) {
        if (size == 2) { /* LDR PC */
          blocking(d, 2, rn);
          branch(d, d->cycles);
        } /* else PLD, PLI: hints, one cycle */
        return;
      }
      if (load)
        single(d, M4_LOAD, bytes, rn, registerOffset ? rm : -1, rt);
      else
        single(d, registerOffset ? M4_STORE_REG : M4_STORE, bytes, rn, registerOffset ? rm : -1,
               rt);
    } else if ((op2 & 0x70) == 0x20) { /* data processing (register) */
      alu(d, 1, REG(rd));
    } else if ((op2 & 0x78) == 0x30) { /* multiply, multiply-accumulate, DSP */
      alu(d, 1, REG(rd));
    } else if ((op2 & 0x78) == 0x38) { /* long multiply, divide */
      unsigned o1 = (h1 >> 4) & 7, o2 = (h2 >> 4) & 15;
      if ((o1 == 1 || o1 == 3) && o2 == 15)
        alu(d, M4_DIVIDE, REG(rd));
      else
        alu(d, 1, (uint16_t)(REG(rt) | REG(rd)));
    } else if (op2 & 0x40) {
      decode_fpu(h1, h2, d);
    }
  }
}

size_t m4_insn_size(const uint8_t *bytes) {
  /* First halfwords 0b11101..., 0b11110..., 0b11111... start 32-bit
     encodings (ARMv7-M ARM, A5.1). */
  return (bytes[1] >> 3) >= 0x1d ? 4 : 2;
}

void m4_decode(const uint8_t *bytes, size_t size, struct m4_insn *insn) {
  memset(insn, 0, sizeof *insn);
  insn->kind = M4_OTHER;
  insn->cycles = 1;
  uint16_t h1 = (uint16_t)(bytes[0] | bytes[1] << 8);
  if (size == 4)
    decode32(h1, (uint16_t)(bytes[2] | bytes[3] << 8), insn);
  else
    decode16(h1, insn);
}

static int is_memory(const struct m4_insn *insn) {
  return insn->kind == M4_LOAD || insn->kind == M4_STORE || insn->kind == M4_STORE_REG ||
         insn->kind == M4_BLOCKING;
}

unsigned m4_cycles_after(const struct m4_insn *prev, const struct m4_insn *insn) {
  unsigned cycles = insn->cycles;
  if (!prev)
    return cycles;
  /* "LDR [any] are pipelined when possible": a load or a register-offset
     store right after a load whose result does not form its address saves
     a cycle. Nothing pipelines after a store. */
  if (prev->kind == M4_LOAD && (insn->kind == M4_LOAD || insn->kind == M4_STORE_REG) &&
      !(prev->loaded & insn->address))
    --cycles;
  /* "Any load or store that generates an address dependent on the result of
     a preceding data processing operation stalls the pipeline for an
     additional cycle". */
  if (prev->kind == M4_ALU && is_memory(insn) && (prev->writes & insn->address))
    ++cycles;
  return cycles;
}
