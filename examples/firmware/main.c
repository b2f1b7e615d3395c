/* The firmware's application: reads the model's input from a host file,
   runs one inference and writes the output to another, over semihosting
   (QEMU: -append "INPUT OUTPUT"). Exit status: the model's, or 1 when a file
   cannot be read or written. */
#include "model.h"
#include "semihost.h"

#if PEX_MODEL_IO_STREAM
/* pexc --io=stream: a sensor delivers the input row by row (a camera's lines,
   a microphone's frames), here the input file read one request at a time. The
   model asks for each row once, in order, when it needs it: the firmware never
   holds the whole input. The output goes out the same way, row by row as the
   model hands it over (to a display, a radio), here appended to the output
   file: the firmware never holds the whole output either. */
static int sensor = -1, sink = -1;
static int sensor_failed, sink_failed;
static int32_t next_output_row;

void pex_model_read_input_rows(pex_model_input_t *rows, int32_t first_row, int32_t row_count) {
  (void)first_row; /* the rows come in order: the next ones in the file */
  if (pex_sh_read(sensor, rows, (unsigned)row_count * PEX_MODEL_INPUT_ROW_BYTES) != 0)
    sensor_failed = 1;
}

void pex_model_write_output_rows(const pex_model_output_t *rows, int32_t first_row,
                                 int32_t row_count) {
  /* Each row once, in order: the file is written front to back. */
  if (first_row != next_output_row ||
      pex_sh_write(sink, rows, (unsigned)row_count * PEX_MODEL_OUTPUT_ROW_BYTES) != 0)
    sink_failed = 1;
  next_output_row = first_row + row_count;
}

static int infer(const char *input_path, const char *output_path) {
  if ((sensor = pex_sh_open(input_path, PEX_SH_MODE_RB)) < 0)
    return -1;
  if ((sink = pex_sh_open(output_path, PEX_SH_MODE_WB)) < 0) {
    pex_sh_close(sensor);
    return -1;
  }
  int status = pex_model_run();
  pex_sh_close(sensor);
  if (pex_sh_close(sink) != 0 || next_output_row != PEX_MODEL_OUTPUT_ROWS)
    sink_failed = 1;
  return sensor_failed || sink_failed ? -1 : status;
}
#else
static int transfer(const char *path, void *bytes, unsigned size, int writing) {
  int fd = pex_sh_open(path, writing ? PEX_SH_MODE_WB : PEX_SH_MODE_RB);
  if (fd < 0)
    return 1;
  int left = writing ? pex_sh_write(fd, bytes, size) : pex_sh_read(fd, bytes, size);
  pex_sh_close(fd);
  return left != 0;
}

static pex_model_input_t input[PEX_MODEL_INPUT_BYTES / sizeof(pex_model_input_t)];
static pex_model_output_t output[PEX_MODEL_OUTPUT_BYTES / sizeof(pex_model_output_t)];

static int infer(const char *input_path, const char *output_path) {
  if (transfer(input_path, input, sizeof input, 0))
    return -1;
  int status = pex_model_run(input, output);
  if (status == 0 && transfer(output_path, output, sizeof output, 1))
    return -1;
  return status;
}
#endif

int main(int argc, char **argv) {
  if (argc < 3)
    return 1;
  int status = infer(argv[1], argv[2]);
  if (status < 0)
    return 1;
  return status;
}
