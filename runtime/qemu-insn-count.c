/* Pex instruction counter: a TCG plugin for QEMU 7.2 (plugin API version 1).

   Counts the guest instructions executed in total and between two marker
   functions (the harness's pex_count_begin / pex_count_end):

     qemu-system-arm ... -plugin <build>/lib/libpex-insn-count.so,begin=0xADDR,end=0xADDR \
                         -d plugin -D insns.log
     => insns.log: "insns: total=N between_markers=M pairs=K"

   Addresses come from `llvm-nm prog.elf` (the Thumb bit may be left set). Without
   -d plugin QEMU drops the line; without -D it goes to stderr.

   between_markers counts the instructions executed from the entry of the begin
   marker (inclusive) to the entry of the end marker (exclusive), summed over all
   K begin/end pairs. That is the model call plus a small constant from the
   harness (the begin marker's return, argument set-up, the two calls).

   Cost: every translation block gets one inline 64-bit add of its instruction
   count (no helper call), exactly like a plain counter; only the few blocks that
   start at a marker address get a callback instead, which snapshots the counter.
   Exact as long as no block is left early by an exception, which a model never
   raises.

   Debian ships no qemu-plugin.h, so the used part of the API is declared here
   (types and signatures as in QEMU 7.2's include/qemu/qemu-plugin.h). */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define PLUGIN_EXPORT __attribute__((visibility("default")))

typedef uint64_t qemu_plugin_id_t;
typedef struct qemu_info_t qemu_info_t; /* opaque here: not used */
struct qemu_plugin_tb;
enum qemu_plugin_cb_flags { QEMU_PLUGIN_CB_NO_REGS, QEMU_PLUGIN_CB_R_REGS, QEMU_PLUGIN_CB_RW_REGS };
enum qemu_plugin_op { QEMU_PLUGIN_INLINE_ADD_U64 };
typedef void (*qemu_plugin_vcpu_tb_trans_cb_t)(qemu_plugin_id_t, struct qemu_plugin_tb *);
typedef void (*qemu_plugin_vcpu_udata_cb_t)(unsigned int vcpu_index, void *userdata);
typedef void (*qemu_plugin_udata_cb_t)(qemu_plugin_id_t, void *userdata);

extern void qemu_plugin_register_vcpu_tb_trans_cb(qemu_plugin_id_t, qemu_plugin_vcpu_tb_trans_cb_t);
extern void qemu_plugin_register_vcpu_tb_exec_cb(struct qemu_plugin_tb *, qemu_plugin_vcpu_udata_cb_t,
                                                 enum qemu_plugin_cb_flags, void *);
extern void qemu_plugin_register_vcpu_tb_exec_inline(struct qemu_plugin_tb *, enum qemu_plugin_op,
                                                     void *, uint64_t);
extern size_t qemu_plugin_tb_n_insns(const struct qemu_plugin_tb *);
extern uint64_t qemu_plugin_tb_vaddr(const struct qemu_plugin_tb *);
extern void qemu_plugin_register_atexit_cb(qemu_plugin_id_t, qemu_plugin_udata_cb_t, void *);
extern void qemu_plugin_outs(const char *);

PLUGIN_EXPORT int qemu_plugin_version = 1;

/* Single-vCPU machines only (all Cortex-M boards used by Pex): no atomics. */
static uint64_t insns;         /* all instructions executed */
static uint64_t begin_snapshot; /* insns at the entry of the last begin marker */
static uint64_t between;       /* sum over completed begin/end pairs */
static uint64_t pairs;
static int in_region;
static uint64_t begin_addr, end_addr;
static int have_markers;

/* userdata of a marker block: its instruction count, shifted, | 1 for "end". */
static void marker_exec(unsigned int vcpu, void *udata) {
  (void)vcpu;
  uintptr_t u = (uintptr_t)udata;
  if (u & 1) {
    if (in_region) {
      between += insns - begin_snapshot;
      ++pairs;
      in_region = 0;
    }
  } else {
    begin_snapshot = insns;
    in_region = 1;
  }
  insns += u >> 1; /* the marker block's own instructions (no inline add there) */
}

static void tb_trans(qemu_plugin_id_t id, struct qemu_plugin_tb *tb) {
  (void)id;
  size_t n = qemu_plugin_tb_n_insns(tb);
  uint64_t pc = qemu_plugin_tb_vaddr(tb);
  if (have_markers && (pc == begin_addr || pc == end_addr)) {
    uintptr_t u = ((uintptr_t)n << 1) | (pc == end_addr);
    qemu_plugin_register_vcpu_tb_exec_cb(tb, marker_exec, QEMU_PLUGIN_CB_NO_REGS, (void *)u);
  } else {
    qemu_plugin_register_vcpu_tb_exec_inline(tb, QEMU_PLUGIN_INLINE_ADD_U64, &insns, n);
  }
}

static void at_exit(qemu_plugin_id_t id, void *p) {
  (void)id, (void)p;
  char buf[128];
  if (have_markers)
    snprintf(buf, sizeof buf, "insns: total=%llu between_markers=%llu pairs=%llu\n",
             (unsigned long long)insns, (unsigned long long)between, (unsigned long long)pairs);
  else
    snprintf(buf, sizeof buf, "insns: total=%llu\n", (unsigned long long)insns);
  qemu_plugin_outs(buf);
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
    else
      r = -1;
    if (r < 0) {
      fprintf(stderr, "pex-insn-count: bad argument '%s' (expected begin=ADDR, end=ADDR)\n",
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
