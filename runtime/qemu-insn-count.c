/* Pex instruction counter and Cortex-M4 cycle estimate: a TCG plugin for QEMU
   7.2 (plugin API version 1).

   Counts the guest instructions executed in total and between two marker
   functions (the harness's pex_count_begin / pex_count_end):

     qemu-system-arm ... -plugin <build>/lib/libpex-insn-count.so,begin=0xADDR,end=0xADDR \
                         -d plugin -D insns.log
     => insns.log: "insns: total=N between_markers=M pairs=K"

   With timing=cortex-m4 it also estimates the cycles a Cortex-M4 with zero
   wait-state memory would take (cortex-m4-timing.h; assumptions in
   runtime/README.md), on a second line:

     "estimated_cycles: total=C between_markers=D model=cortex-m4"

   With profile=PATH it writes one line per translation block to PATH:
   "ADDRESS INSTRUCTIONS EXECUTIONS CYCLES" (hex address of the block's first
   instruction, its instructions, how often it ran, the estimated cycles it
   accounts for in all; cycles 0 without timing=). A block translated twice has
   two lines.

   Addresses come from `llvm-nm prog.elf` (the Thumb bit may be left set). Without
   -d plugin QEMU drops the lines; without -D they go to stderr.

   between_markers counts from the entry of the begin marker (inclusive) to the
   entry of the end marker (exclusive), summed over all K begin/end pairs. That
   is the model call plus a small constant from the harness (the begin marker's
   return, argument set-up, the two calls).

   Cost: without timing or profile, every translation block gets one inline
   64-bit add of its instruction count (no helper call); only the few blocks
   that start at a marker address get a callback instead, which snapshots the
   counter. With timing, every block gets a callback (it must see which block
   follows a conditional branch) and every word or halfword access whose
   alignment is not known statically gets a memory callback. Exact as long as
   no block is left early by an exception, which a model never raises.

   Debian ships no qemu-plugin.h, so the used part of the API is declared here
   (types and signatures as in QEMU 7.2's include/qemu/qemu-plugin.h). */
#include "cortex-m4-timing.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define PLUGIN_EXPORT __attribute__((visibility("default")))

typedef uint64_t qemu_plugin_id_t;
typedef uint32_t qemu_plugin_meminfo_t;
typedef struct qemu_info_t qemu_info_t; /* opaque here: not used */
struct qemu_plugin_tb;
struct qemu_plugin_insn;
enum qemu_plugin_cb_flags { QEMU_PLUGIN_CB_NO_REGS, QEMU_PLUGIN_CB_R_REGS, QEMU_PLUGIN_CB_RW_REGS };
enum qemu_plugin_op { QEMU_PLUGIN_INLINE_ADD_U64 };
enum qemu_plugin_mem_rw { QEMU_PLUGIN_MEM_R = 1, QEMU_PLUGIN_MEM_W, QEMU_PLUGIN_MEM_RW };
typedef void (*qemu_plugin_vcpu_tb_trans_cb_t)(qemu_plugin_id_t, struct qemu_plugin_tb *);
typedef void (*qemu_plugin_vcpu_udata_cb_t)(unsigned int vcpu_index, void *userdata);
typedef void (*qemu_plugin_udata_cb_t)(qemu_plugin_id_t, void *userdata);
typedef void (*qemu_plugin_vcpu_mem_cb_t)(unsigned int vcpu_index, qemu_plugin_meminfo_t info,
                                          uint64_t vaddr, void *userdata);

extern void qemu_plugin_register_vcpu_tb_trans_cb(qemu_plugin_id_t, qemu_plugin_vcpu_tb_trans_cb_t);
extern void qemu_plugin_register_vcpu_tb_exec_cb(struct qemu_plugin_tb *, qemu_plugin_vcpu_udata_cb_t,
                                                 enum qemu_plugin_cb_flags, void *);
extern void qemu_plugin_register_vcpu_tb_exec_inline(struct qemu_plugin_tb *, enum qemu_plugin_op,
                                                     void *, uint64_t);
extern void qemu_plugin_register_vcpu_mem_cb(struct qemu_plugin_insn *, qemu_plugin_vcpu_mem_cb_t,
                                             enum qemu_plugin_cb_flags, enum qemu_plugin_mem_rw,
                                             void *);
extern size_t qemu_plugin_tb_n_insns(const struct qemu_plugin_tb *);
extern uint64_t qemu_plugin_tb_vaddr(const struct qemu_plugin_tb *);
extern struct qemu_plugin_insn *qemu_plugin_tb_get_insn(const struct qemu_plugin_tb *, size_t);
extern const void *qemu_plugin_insn_data(const struct qemu_plugin_insn *);
extern uint64_t qemu_plugin_insn_vaddr(const struct qemu_plugin_insn *);
extern void qemu_plugin_register_atexit_cb(qemu_plugin_id_t, qemu_plugin_udata_cb_t, void *);
extern void qemu_plugin_outs(const char *);

PLUGIN_EXPORT int qemu_plugin_version = 1;

enum marker { NO_MARKER, BEGIN_MARKER, END_MARKER };

/* One translated block, when blocks are followed one by one. */
struct block {
  uint64_t vaddr;
  uint32_t insns;
  uint32_t cycles; /* estimated, before taken branches and unaligned accesses */
  /* Ends in a conditional branch: where execution continues when it is not
     taken (0: the block ends otherwise), and what taking it costs more. */
  uint64_t fallthrough;
  uint32_t taken_cycles;
  /* Its first and last instructions, and where it ends when its last
     instruction is not a branch (0 otherwise): QEMU also ends a block at a
     page boundary, where the core goes straight on, so the first
     instruction pairs with the last one of the block before (a load after a
     load pipelines across the boundary too). */
  struct m4_insn first, last;
  uint64_t straight_end;
  enum marker marker;
  uint64_t executions, total_cycles; /* for the profile */
  struct block *next;
};

/* Single-vCPU machines only (all Cortex-M boards used by Pex): no atomics. */
static uint64_t insns, cycles;  /* all instructions executed; their estimated cycles */
static uint64_t begin_insns, begin_cycles; /* at the entry of the last begin marker */
static uint64_t between_insns, between_cycles; /* sums over completed begin/end pairs */
static uint64_t pairs;
static int in_region;
static uint64_t begin_addr, end_addr;
static int have_markers, timing;
static char *profile_path;
static struct block *blocks;      /* every translated block, for the profile */
static struct block *pending;     /* the last block, if it ended in a conditional branch */
static struct block *current;     /* the block executing, charged its unaligned accesses */
static struct block *previous;    /* the block executed before it */

static void enter_marker(enum marker marker) {
  if (marker == END_MARKER) {
    if (in_region) {
      between_insns += insns - begin_insns;
      between_cycles += cycles - begin_cycles;
      ++pairs;
      in_region = 0;
    }
  } else {
    begin_insns = insns;
    begin_cycles = cycles;
    in_region = 1;
  }
}

/* Counting only: userdata of a marker block is its instruction count,
   shifted, | 1 for "end". */
static void marker_exec(unsigned int vcpu, void *udata) {
  (void)vcpu;
  uintptr_t u = (uintptr_t)udata;
  enter_marker(u & 1 ? END_MARKER : BEGIN_MARKER);
  insns += u >> 1; /* the marker block's own instructions (no inline add there) */
}

/* Every block, when blocks are followed one by one. */
static void block_exec(unsigned int vcpu, void *udata) {
  (void)vcpu;
  struct block *block = udata;
  if (pending && block->vaddr != pending->fallthrough) {
    cycles += pending->taken_cycles;
    pending->total_cycles += pending->taken_cycles;
  }
  pending = block->fallthrough ? block : NULL;
  /* The block's first instruction was charged as after a branch; entered
     straight from the block before, it pairs with that block's last one. */
  if (timing && previous && previous->straight_end == block->vaddr) {
    int64_t pairing = (int64_t)m4_cycles_after(&previous->last, &block->first) -
                      (int64_t)m4_cycles_after(NULL, &block->first);
    cycles += pairing;
    block->total_cycles += pairing;
  }
  previous = current = block;
  if (block->marker != NO_MARKER)
    enter_marker(block->marker);
  insns += block->insns;
  cycles += block->cycles;
  ++block->executions;
  block->total_cycles += block->cycles;
}

/* A word or halfword access whose alignment was unknown at translation;
   userdata is its size. */
static void access_exec(unsigned int vcpu, qemu_plugin_meminfo_t info, uint64_t vaddr,
                        void *udata) {
  (void)vcpu, (void)info;
  unsigned penalty = m4_unaligned_penalty((unsigned)(uintptr_t)udata, vaddr);
  cycles += penalty;
  current->total_cycles += penalty;
}

/* The static cycles of a block, and its conditional exit. */
static void estimate_block(struct qemu_plugin_tb *tb, struct block *block) {
  struct m4_insn prev, insn;
  int have_prev = 0;
  unsigned conditional = 0; /* instructions left in an IT block */
  size_t n = qemu_plugin_tb_n_insns(tb);
  for (size_t i = 0; i < n; ++i) {
    struct qemu_plugin_insn *qi = qemu_plugin_tb_get_insn(tb, i);
    const uint8_t *bytes = qemu_plugin_insn_data(qi);
    size_t size = m4_insn_size(bytes);
    m4_decode(bytes, size, &insn);
    unsigned cost = m4_cycles_after(have_prev ? &prev : NULL, &insn);
    int in_it = conditional > 0;
    if (in_it)
      --conditional;
    if (insn.kind == M4_IT)
      conditional = insn.it_count;
    if (insn.conditional_branch || (in_it && insn.branches)) {
      /* Not taken: one cycle (a skipped instruction); taken: the rest. */
      block->fallthrough = qemu_plugin_insn_vaddr(qi) + size;
      block->taken_cycles = cost - 1 + (insn.conditional_branch ? M4_REFILL : 0);
      cost = 1;
    }
    block->cycles += cost;
    if (i == 0)
      block->first = insn;
    if (i + 1 == n && !insn.branches && !insn.conditional_branch && !conditional)
      block->straight_end = qemu_plugin_insn_vaddr(qi) + size;
    if (insn.unaligned_size)
      qemu_plugin_register_vcpu_mem_cb(qi, access_exec, QEMU_PLUGIN_CB_NO_REGS,
                                       QEMU_PLUGIN_MEM_RW,
                                       (void *)(uintptr_t)insn.unaligned_size);
    prev = insn;
    have_prev = 1;
  }
  block->last = prev;
}

static enum marker marker_at(uint64_t pc) {
  if (!have_markers)
    return NO_MARKER;
  return pc == begin_addr ? BEGIN_MARKER : pc == end_addr ? END_MARKER : NO_MARKER;
}

static void tb_trans(qemu_plugin_id_t id, struct qemu_plugin_tb *tb) {
  (void)id;
  size_t n = qemu_plugin_tb_n_insns(tb);
  uint64_t pc = qemu_plugin_tb_vaddr(tb);
  enum marker marker = marker_at(pc);
  if (timing || profile_path) {
    struct block *block = calloc(1, sizeof *block);
    if (!block)
      abort();
    block->vaddr = pc;
    block->insns = (uint32_t)n;
    block->marker = marker;
    if (timing)
      estimate_block(tb, block);
    block->next = blocks;
    blocks = block;
    qemu_plugin_register_vcpu_tb_exec_cb(tb, block_exec, QEMU_PLUGIN_CB_NO_REGS, block);
  } else if (marker != NO_MARKER) {
    uintptr_t u = ((uintptr_t)n << 1) | (marker == END_MARKER);
    qemu_plugin_register_vcpu_tb_exec_cb(tb, marker_exec, QEMU_PLUGIN_CB_NO_REGS, (void *)u);
  } else {
    qemu_plugin_register_vcpu_tb_exec_inline(tb, QEMU_PLUGIN_INLINE_ADD_U64, &insns, n);
  }
}

static void write_profile(void) {
  FILE *file = fopen(profile_path, "w");
  if (!file) {
    fprintf(stderr, "pex-insn-count: cannot write %s\n", profile_path);
    return;
  }
  for (struct block *block = blocks; block; block = block->next)
    if (block->executions)
      fprintf(file, "0x%llx %u %llu %llu\n", (unsigned long long)block->vaddr, block->insns,
              (unsigned long long)block->executions, (unsigned long long)block->total_cycles);
  fclose(file);
}

static void at_exit(qemu_plugin_id_t id, void *p) {
  (void)id, (void)p;
  char buf[192];
  if (have_markers)
    snprintf(buf, sizeof buf, "insns: total=%llu between_markers=%llu pairs=%llu\n",
             (unsigned long long)insns, (unsigned long long)between_insns,
             (unsigned long long)pairs);
  else
    snprintf(buf, sizeof buf, "insns: total=%llu\n", (unsigned long long)insns);
  qemu_plugin_outs(buf);
  if (timing) {
    if (have_markers)
      snprintf(buf, sizeof buf,
               "estimated_cycles: total=%llu between_markers=%llu model=cortex-m4\n",
               (unsigned long long)cycles, (unsigned long long)between_cycles);
    else
      snprintf(buf, sizeof buf, "estimated_cycles: total=%llu model=cortex-m4\n",
               (unsigned long long)cycles);
    qemu_plugin_outs(buf);
  }
  if (profile_path)
    write_profile();
}

/* "begin=ADDR" / "end=ADDR", ADDR in C syntax (0x... or decimal). */
static int parse_addr(const char *arg, const char *key, uint64_t *out) {
  size_t k = strlen(key);
  if (strncmp(arg, key, k) != 0 || arg[k] != '=')
    return 0;
  char *end;
  *out = strtoull(arg + k + 1, &end, 0) & ~(uint64_t)1; /* drop the Thumb bit */
  return *end == 0 && end != arg + k + 1 ? 1 : -1;
}

PLUGIN_EXPORT int qemu_plugin_install(qemu_plugin_id_t id, const qemu_info_t *info, int argc,
                                      char **argv) {
  (void)info;
  int have_begin = 0, have_end = 0;
  for (int i = 0; i < argc; ++i) {
    int r;
    if ((r = parse_addr(argv[i], "begin", &begin_addr)) != 0)
      have_begin = r;
    else if ((r = parse_addr(argv[i], "end", &end_addr)) != 0)
      have_end = r;
    else if (strcmp(argv[i], "timing=cortex-m4") == 0)
      r = timing = 1;
    else if (strncmp(argv[i], "profile=", 8) == 0 && argv[i][8])
      r = (profile_path = strdup(argv[i] + 8)) ? 1 : -1;
    else
      r = -1;
    if (r < 0) {
      fprintf(stderr,
              "pex-insn-count: bad argument '%s' (expected begin=ADDR, end=ADDR, "
              "timing=cortex-m4, profile=PATH)\n",
              argv[i]);
      return -1;
    }
  }
  if (have_begin != have_end) {
    fprintf(stderr, "pex-insn-count: give both begin= and end=, or neither\n");
    return -1;
  }
  have_markers = have_begin;
  qemu_plugin_register_vcpu_tb_trans_cb(id, tb_trans);
  qemu_plugin_register_atexit_cb(id, at_exit, NULL);
  return 0;
}
