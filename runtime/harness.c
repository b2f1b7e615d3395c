/* Pex model harness: one main for the host and for Cortex-M under QEMU.

   Reads PEX_MODEL_INPUT_BYTES raw bytes from the input file, runs the model once,
   writes PEX_MODEL_OUTPUT_BYTES raw bytes to the output file and prints one line
   (a model of several inputs or outputs: each read into, or written from, a buffer
   of its own, the files holding them one after another):

     pex-run: status=0 stack_bytes=412 data_bytes=0 bss_bytes=27664 ram_bytes=28076 harness_stack_bytes=264

   Batches: an input file of k x INPUT_BYTES runs k inferences, one after the other
   (input i is read into the one input buffer, the model runs, output i is appended
   to the output file), so the output file holds k x OUTPUT_BYTES. The line then
   ends in " inferences=k" (k > 1 only; a single input gives the line above
   unchanged); status= is the first non-zero status (the batch stops there, after
   writing that inference's output) or 0; stack_bytes= is the deepest of the k
   calls (the stack is painted before each call); the instruction-count markers
   wrap each call, so the plugin's between_markers is the sum over the k calls
   (pairs=k). Buffers stay one inference's size: a batch needs no more RAM.

   The fields after status= are measured on Cortex-M only; the host line is just
   "pex-run: status=S" (no stack painting there). The exit code is the model's
   status; harness failures print one of these lines and exit with 125:
     pex-run: error=usage                   no paths (argv or PEX_INPUT_PATH/PEX_OUTPUT_PATH)
     pex-run: error=read-input path=P       missing, empty, or not a multiple of INPUT_BYTES long
     pex-run: error=write-output path=P
     pex-run: error=stack-exhausted         the model used all of __pex_stack_size
     pex-run: error=link-budget             --defsym came after -T for ld.lld
     pex-run: error=input-rows path=P       (--io=stream) the model did not ask for
                                            every input row once, in order, or a
                                            read failed
     pex-run: error=output-rows path=P      (--io=stream) the model did not hand
                                            over every output row once, in order
   and a CPU fault prints "pex-run: error=fault exception=N" and exits with 126.

   Build: compile with the model header forced in (-include NAME.h) or named
   (-DPEX_MODEL_HEADER='"NAME.h"' -I<dir>), link with the model object; on Cortex-M
   also with cortex-m/startup.c and a linker script from cortex-m/ (see README.md).
   With --io=stream the model asks for the input's rows while it runs
   (PEX_MODEL_READ_INPUT_ROWS, defined here): they are read from the file at that
   moment, so neither the harness nor the model holds the whole input, and the
   stack and instructions measured include that callback's. It hands the output's
   rows over the same way (PEX_MODEL_WRITE_OUTPUT_ROWS, defined here): they are
   copied into the output buffer, which the file is written from.
   Paths: argv[1] and argv[2] (on QEMU: -append "IN OUT"), else the compile-time
   macros PEX_INPUT_PATH / PEX_OUTPUT_PATH. */
#include <stddef.h>
#include <stdint.h>

#ifdef PEX_MODEL_HEADER
#include PEX_MODEL_HEADER
#endif
#ifndef PEX_MODEL_RUN
#error "no model header: compile with -include NAME.h or -DPEX_MODEL_HEADER=\"NAME.h\""
#endif

#if defined(__ARM_ARCH_PROFILE) && __ARM_ARCH_PROFILE == 'M'
#define PEX_BARE_METAL 1
#include "cortex-m/semihost.h"
#else
#define PEX_BARE_METAL 0
#include <stdio.h>
#endif

#define PEX_HARNESS_ERROR 125

#if defined(PEX_MODEL_IO_STREAM) && PEX_MODEL_IO_STREAM
#define PEX_STREAMS_INPUT 1
#else
#define PEX_STREAMS_INPUT 0
#endif

/* A model of several inputs or outputs: each tensor in a buffer of its own, the
   files holding them one after another (the header's PEX_MODEL_INPUT_SIZES). */
#if defined(PEX_MODEL_INPUT_COUNT) && (PEX_MODEL_INPUT_COUNT > 1 || PEX_MODEL_OUTPUT_COUNT > 1)
#define PEX_SEVERAL_TENSORS 1
#else
#define PEX_SEVERAL_TENSORS 0
#endif

#if PEX_SEVERAL_TENSORS
static const size_t pex_input_sizes[PEX_MODEL_INPUT_COUNT] = PEX_MODEL_INPUT_SIZES;
static const size_t pex_output_sizes[PEX_MODEL_OUTPUT_COUNT] = PEX_MODEL_OUTPUT_SIZES;
#if defined(PEX_MODEL_ARENA_IO) && PEX_MODEL_ARENA_IO
int PEX_MODEL_RUN(void);
#define PEX_CALL_MODEL() PEX_MODEL_RUN()
#else
/* Room for every tensor at a 16-byte aligned offset. */
#define PEX_ALIGNED_BYTES(bytes, count) ((bytes) + 16 * (count))
static uint8_t pex_input_storage[PEX_ALIGNED_BYTES(PEX_MODEL_INPUT_BYTES, PEX_MODEL_INPUT_COUNT)]
    __attribute__((aligned(16)));
static uint8_t pex_output_storage[PEX_ALIGNED_BYTES(PEX_MODEL_OUTPUT_BYTES, PEX_MODEL_OUTPUT_COUNT)]
    __attribute__((aligned(16)));
#define PEX_CALL_MODEL() PEX_MODEL_CALL(pex_inputs, pex_outputs)
#endif
static void *pex_inputs[PEX_MODEL_INPUT_COUNT];
static void *pex_outputs[PEX_MODEL_OUTPUT_COUNT];
#elif defined(PEX_MODEL_ARENA_IO) && PEX_MODEL_ARENA_IO
/* The model's input and output live in its arena (pexc --io=arena). */
int PEX_MODEL_RUN(void);
#define pex_input (PEX_MODEL_INPUT())
#define pex_output (PEX_MODEL_OUTPUT())
#define PEX_CALL_MODEL() PEX_MODEL_RUN()
#elif PEX_STREAMS_INPUT
/* The model asks for the input's rows while it runs (pexc --io=stream): they
   come straight from the input file, so the harness holds no input either; it
   hands the output's rows to PEX_MODEL_WRITE_OUTPUT_ROWS. */
int PEX_MODEL_RUN(void);
#define PEX_CALL_MODEL() PEX_MODEL_RUN()
#else
int PEX_MODEL_RUN(const pex_model_input_t *input, pex_model_output_t *output);
#define PEX_CALL_MODEL() PEX_MODEL_RUN(pex_input, pex_output)
#endif

#if !PEX_SEVERAL_TENSORS
_Static_assert(PEX_MODEL_INPUT_BYTES % sizeof(pex_model_input_t) == 0, "input size");
_Static_assert(PEX_MODEL_OUTPUT_BYTES % sizeof(pex_model_output_t) == 0, "output size");
#endif

#if !PEX_SEVERAL_TENSORS && !(defined(PEX_MODEL_ARENA_IO) && PEX_MODEL_ARENA_IO)
/* 16-byte alignment: generated code may use wide or alignment-assuming accesses. */
#if !PEX_STREAMS_INPUT
static pex_model_input_t pex_input[PEX_MODEL_INPUT_BYTES / sizeof(pex_model_input_t)]
    __attribute__((aligned(16)));
#endif
static pex_model_output_t pex_output[PEX_MODEL_OUTPUT_BYTES / sizeof(pex_model_output_t)]
    __attribute__((aligned(16)));
#endif

#if defined(PEX_MODEL_EXTERNAL_ARENA) && PEX_MODEL_EXTERNAL_ARENA
/* The model's working memory, defined by the application. A .bss.* name keeps it
   zero-initialised NOBITS data under any linker script; the Pex scripts give it
   its own spot (__pex_arena_start/__pex_arena_end). */
__attribute__((aligned(16), section(".bss.pex_arena")))
uint8_t PEX_MODEL_ARENA_SYMBOL[PEX_MODEL_ARENA_BYTES];
#endif

/* Instruction-count markers: the QEMU plugin snapshots its counter when these
   run (addresses from `llvm-nm prog.elf`). noinline + an asm statement keep each a
   real, separate call that the optimizer cannot delete or move across the model
   call; the different asm text keeps them from being folded into one body. */
__attribute__((noinline, used)) void pex_count_begin(void) { __asm__ volatile("" ::: "memory"); }
__attribute__((noinline, used)) void pex_count_end(void) {
  __asm__ volatile("nop" ::: "memory");
}

/* ---- I/O and the report line ---------------------------------------------- */

/* An input file read in INPUT_BYTES records and an output file written in
   OUTPUT_BYTES records, sequentially (semihosting reads and writes at the file
   position too). The output is opened at its first write. */
#if PEX_BARE_METAL
typedef int pex_file_t;
#define PEX_NO_FILE (-1)
#else
typedef FILE *pex_file_t;
#define PEX_NO_FILE NULL
#endif

/* Opens the input; returns its record count (k >= 1), or -1 when the file is
   missing, empty or not a whole number of records. */
static long pex_open_input(const char *path, size_t record, pex_file_t *file) {
#if PEX_BARE_METAL
  int fd = pex_sh_open(path, PEX_SH_MODE_RB);
  if (fd < 0)
    return -1;
  long size = pex_sh_flen(fd);
#else
  FILE *fd = fopen(path, "rb");
  if (!fd)
    return -1;
  long size = fseek(fd, 0, SEEK_END) == 0 ? ftell(fd) : -1;
  if (size > 0 && fseek(fd, 0, SEEK_SET) != 0)
    size = -1;
#endif
  if (size <= 0 || (unsigned long)size % record != 0) {
#if PEX_BARE_METAL
    pex_sh_close(fd);
#else
    fclose(fd);
#endif
    return -1;
  }
  *file = fd;
  return (long)((unsigned long)size / record);
}

static int pex_read_record(pex_file_t file, void *buf, size_t n) {
#if PEX_BARE_METAL
  return pex_sh_read(file, buf, n) == 0 ? 0 : -1;
#else
  return fread(buf, 1, n, file) == n ? 0 : -1;
#endif
}

static void pex_close_input(pex_file_t file) {
#if PEX_BARE_METAL
  pex_sh_close(file);
#else
  fclose(file);
#endif
}

static int pex_write_record(const char *path, pex_file_t *file, const void *buf, size_t n) {
#if PEX_BARE_METAL
  if (*file == PEX_NO_FILE && (*file = pex_sh_open(path, PEX_SH_MODE_WB)) < 0) {
    *file = PEX_NO_FILE;
    return -1;
  }
  return pex_sh_write(*file, buf, n) == 0 ? 0 : -1;
#else
  if (*file == PEX_NO_FILE && !(*file = fopen(path, "wb")))
    return -1;
  return fwrite(buf, 1, n, *file) == n ? 0 : -1;
#endif
}

static int pex_close_output(pex_file_t file) {
  if (file == PEX_NO_FILE)
    return 0;
#if PEX_BARE_METAL
  return pex_sh_close(file) == 0 ? 0 : -1;
#else
  return fclose(file) == 0 ? 0 : -1;
#endif
}

#if PEX_STREAMS_INPUT
/* The rows of the current inference's input record, read from the file as the
   model asks for them. A model asks for every row once, in order: anything else
   (or a failed read) marks the run failed. */
static pex_file_t pex_rows_file = PEX_NO_FILE;
static long pex_next_row;
static int pex_rows_error;

void PEX_MODEL_READ_INPUT_ROWS(pex_model_input_t *rows, int32_t first_row, int32_t row_count) {
  if (pex_rows_error || first_row != pex_next_row || row_count < 1 ||
      first_row + row_count > PEX_MODEL_INPUT_ROWS ||
      pex_read_record(pex_rows_file, rows, (size_t)row_count * PEX_MODEL_INPUT_ROW_BYTES) != 0) {
    pex_rows_error = 1;
    return;
  }
  pex_next_row += row_count;
}

/* The rows of the current inference's output, copied into the output buffer as
   the model hands them over. Every row once, in order: anything else marks the
   run failed. */
static long pex_next_output_row;
static int pex_output_rows_error;

void PEX_MODEL_WRITE_OUTPUT_ROWS(const pex_model_output_t *rows, int32_t first_row,
                                 int32_t row_count) {
  if (pex_output_rows_error || first_row != pex_next_output_row || row_count < 1 ||
      first_row + row_count > PEX_MODEL_OUTPUT_ROWS) {
    pex_output_rows_error = 1;
    return;
  }
  const unsigned char *from = (const unsigned char *)rows;
  unsigned char *to = (unsigned char *)pex_output + (size_t)first_row * PEX_MODEL_OUTPUT_ROW_BYTES;
  for (size_t i = 0; i < (size_t)row_count * PEX_MODEL_OUTPUT_ROW_BYTES; ++i)
    to[i] = from[i];
  pex_next_output_row += row_count;
}
#endif

/* printf-free line building, so the Cortex-M build needs no libc. */
struct pex_line {
  char text[192];
  size_t len;
};

static void pex_put(struct pex_line *l, const char *s) {
  while (*s && l->len + 1 < sizeof l->text)
    l->text[l->len++] = *s++;
  l->text[l->len] = 0;
}

/* long, not long long: 32-bit on Cortex-M, so no 64-bit division helper. */
static void pex_put_int(struct pex_line *l, const char *key, long v) {
  char digits[24];
  int i = sizeof digits - 1;
  unsigned long u = v < 0 ? 0ul - (unsigned long)v : (unsigned long)v;
  digits[i] = 0;
  do
    digits[--i] = (char)('0' + u % 10);
  while (u /= 10);
  if (v < 0)
    digits[--i] = '-';
  pex_put(l, " ");
  pex_put(l, key);
  pex_put(l, "=");
  pex_put(l, &digits[i]);
}

static void pex_emit(const struct pex_line *l) {
#if PEX_BARE_METAL
  pex_sh_puts(l->text);
#else
  puts(l->text);
  fflush(stdout);
#endif
}

static int pex_fail(const char *what, const char *path) {
  struct pex_line l;
  l.len = 0; /* no = {0}: that would call memset */
  pex_put(&l, "pex-run: error=");
  pex_put(&l, what);
  if (path) {
    pex_put(&l, " path=");
    pex_put(&l, path);
  }
  pex_emit(&l);
  return PEX_HARNESS_ERROR;
}

#if PEX_SEVERAL_TENSORS
static void pex_point_at_tensors(void) {
#if defined(PEX_MODEL_ARENA_IO) && PEX_MODEL_ARENA_IO
  void *inputs[PEX_MODEL_INPUT_COUNT] = PEX_MODEL_INPUT_ADDRESSES;
  void *outputs[PEX_MODEL_OUTPUT_COUNT] = PEX_MODEL_OUTPUT_ADDRESSES;
  for (int i = 0; i < PEX_MODEL_INPUT_COUNT; ++i)
    pex_inputs[i] = inputs[i];
  for (int i = 0; i < PEX_MODEL_OUTPUT_COUNT; ++i)
    pex_outputs[i] = outputs[i];
#else
  size_t offset = 0;
  for (int i = 0; i < PEX_MODEL_INPUT_COUNT; ++i) {
    pex_inputs[i] = pex_input_storage + offset;
    offset += (pex_input_sizes[i] + 15) & ~(size_t)15;
  }
  offset = 0;
  for (int i = 0; i < PEX_MODEL_OUTPUT_COUNT; ++i) {
    pex_outputs[i] = pex_output_storage + offset;
    offset += (pex_output_sizes[i] + 15) & ~(size_t)15;
  }
#endif
}
#endif

/* The outputs of one inference, appended to the output file. */
static int pex_write_outputs(const char *path, pex_file_t *file) {
#if PEX_SEVERAL_TENSORS
  for (int i = 0; i < PEX_MODEL_OUTPUT_COUNT; ++i)
    if (pex_write_record(path, file, pex_outputs[i], pex_output_sizes[i]) != 0)
      return -1;
  return 0;
#else
  return pex_write_record(path, file, pex_output, PEX_MODEL_OUTPUT_BYTES);
#endif
}

/* ---- Stack painting (Cortex-M) -------------------------------------------- */

#if PEX_BARE_METAL
extern uint32_t __pex_stack_limit[];
extern uint32_t __pex_data_start[], __pex_data_end[], __pex_bss_start[], __pex_bss_end[];
/* Absolute symbols from the linker script: their addresses are the values. */
extern char __pex_stack_top[], __pex_stack_size[], __pex_ram_used[], __pex_ram_size[];
#define PEX_STACK_PAINT 0xC5A5C5A5u

/* always_inline: must run in main's own frame, so that "below the current SP" is
   exactly the stack the model call will use. */
static inline __attribute__((always_inline)) uintptr_t pex_sp(void) {
  uintptr_t sp;
  __asm__ volatile("mov %0, sp" : "=r"(sp));
  return sp;
}
#endif

int main(int argc, char **argv) {
  const char *in_path = argc >= 3 ? argv[1] : 0;
  const char *out_path = argc >= 3 ? argv[2] : 0;
#ifdef PEX_INPUT_PATH
  if (!in_path)
    in_path = PEX_INPUT_PATH;
#endif
#ifdef PEX_OUTPUT_PATH
  if (!out_path)
    out_path = PEX_OUTPUT_PATH;
#endif
  if (!in_path || !out_path)
    return pex_fail("usage", 0); /* give IN OUT as arguments, or -DPEX_INPUT_PATH/... */
  pex_file_t in_file = PEX_NO_FILE, out_file = PEX_NO_FILE;
  long count = pex_open_input(in_path, PEX_MODEL_INPUT_BYTES, &in_file);
  if (count < 1)
    return pex_fail("read-input", in_path);
#if PEX_SEVERAL_TENSORS
  pex_point_at_tensors();
#endif

#if PEX_BARE_METAL
  /* ld.lld lays out with the script defaults when --defsym comes after -T, yet the
     symbols end up with the --defsym values: catch that mismatch here. */
  if ((uintptr_t)__pex_stack_top - (uintptr_t)__pex_stack_limit !=
          (((uintptr_t)__pex_stack_size + 7) & ~(uintptr_t)7) ||
      (uintptr_t)__pex_ram_used > (uintptr_t)__pex_ram_size)
    return pex_fail("link-budget", 0);
  uintptr_t sp = pex_sp();
  long stack = 0;
#endif

  int status = 0;
  long done = 0;
  while (done < count && status == 0) {
#if PEX_STREAMS_INPUT
    pex_rows_file = in_file;
    pex_next_row = 0;
    pex_next_output_row = 0;
#elif PEX_SEVERAL_TENSORS
    for (int i = 0; i < PEX_MODEL_INPUT_COUNT; ++i)
      if (pex_read_record(in_file, pex_inputs[i], pex_input_sizes[i]) != 0)
        return pex_fail("read-input", in_path);
#else
    if (pex_read_record(in_file, pex_input, PEX_MODEL_INPUT_BYTES) != 0)
      return pex_fail("read-input", in_path);
#endif
#if PEX_BARE_METAL
    /* Paint the free stack [limit, SP) right before the call. The stack is full
       descending: [SP] itself is in use, everything below it is free. Again for
       every call: the file I/O between calls uses the stack below SP too. */
    for (volatile uint32_t *p = __pex_stack_limit; (uintptr_t)p < sp; ++p)
      *p = PEX_STACK_PAINT;
#endif

    pex_count_begin();
    status = PEX_CALL_MODEL();
    pex_count_end();
#if PEX_STREAMS_INPUT
    if (pex_rows_error || pex_next_row != PEX_MODEL_INPUT_ROWS)
      return pex_fail("input-rows", in_path);
    if (pex_output_rows_error || pex_next_output_row != PEX_MODEL_OUTPUT_ROWS)
      return pex_fail("output-rows", out_path);
#endif

#if PEX_BARE_METAL
    /* Scan before any other call: the lowest word that no longer holds the paint
       marks the model call's deepest use. */
    volatile uint32_t *low = __pex_stack_limit;
    while ((uintptr_t)low < sp && *low == PEX_STACK_PAINT)
      ++low;
    /* Even the last word written: the reservation was too small, the numbers and
       possibly the output are garbage. */
    if (low == __pex_stack_limit)
      return pex_fail("stack-exhausted", 0);
    if ((long)(sp - (uintptr_t)low) > stack)
      stack = (long)(sp - (uintptr_t)low);
#endif
    ++done;
    /* A single inference reports before writing its output (as it always has); a
       batch writes each output as it comes. */
    if (count > 1 && pex_write_outputs(out_path, &out_file) != 0)
      return pex_fail("write-output", out_path);
  }
  pex_close_input(in_file);

  struct pex_line l;
  l.len = 0; /* no = {0}: that would call memset */
  pex_put(&l, "pex-run:");
  pex_put_int(&l, "status", status);
#if PEX_BARE_METAL
  long data = (char *)__pex_data_end - (char *)__pex_data_start;
  long bss = (char *)__pex_bss_end - (char *)__pex_bss_start;
  pex_put_int(&l, "stack_bytes", stack);
  pex_put_int(&l, "data_bytes", data);
  pex_put_int(&l, "bss_bytes", bss);
  pex_put_int(&l, "ram_bytes", data + bss + stack);
  /* Stack already in use at the call (start-up and main frames): the smallest
     workable __pex_stack_size is about harness_stack_bytes + stack_bytes. */
  pex_put_int(&l, "harness_stack_bytes", (long)((uintptr_t)__pex_stack_top - sp));
#endif
  if (count > 1)
    pex_put_int(&l, "inferences", done);
  pex_emit(&l);

  if ((count == 1 && pex_write_outputs(out_path, &out_file) != 0) ||
      pex_close_output(out_file) != 0)
    return pex_fail("write-output", out_path);
  return status;
}
