/* The firmware's application: reads the model's input from a host file,
   runs one inference and writes the output to another, over semihosting
   (QEMU: -append "INPUT OUTPUT"). Exit status: the model's, or 1 when a file
   cannot be read or written. */
#include "model.h"
#include "semihost.h"

static pex_model_output_t output[PEX_MODEL_OUTPUT_BYTES / sizeof(pex_model_output_t)];

static int transfer(const char *path, void *bytes, unsigned size, int writing) {
  int fd = pex_sh_open(path, writing ? PEX_SH_MODE_WB : PEX_SH_MODE_RB);
  if (fd < 0)
    return 1;
  int left = writing ? pex_sh_write(fd, bytes, size) : pex_sh_read(fd, bytes, size);
  pex_sh_close(fd);
  return left != 0;
}

#if PEX_MODEL_IO_STREAM
/* pexc --io=stream: a sensor delivers the input row by row (a camera's lines,
   a microphone's frames), here the input file read one request at a time. The
   model asks for each row once, in order, when it needs it: the firmware never
   holds the whole input. */
static int sensor = -1;
static int sensor_failed;

void pex_model_read_input_rows(pex_model_input_t *rows, int32_t first_row, int32_t row_count) {
  (void)first_row; /* the rows come in order: the next ones in the file */
  if (pex_sh_read(sensor, rows, (unsigned)row_count * PEX_MODEL_INPUT_ROW_BYTES) != 0)
    sensor_failed = 1;
}

static int infer(const char *input_path) {
  if ((sensor = pex_sh_open(input_path, PEX_SH_MODE_RB)) < 0)
    return -1;
  int status = pex_model_run(output);
  pex_sh_close(sensor);
  return sensor_failed ? -1 : status;
}
#else
static pex_model_input_t input[PEX_MODEL_INPUT_BYTES / sizeof(pex_model_input_t)];

static int infer(const char *input_path) {
  if (transfer(input_path, input, sizeof input, 0))
    return -1;
  return pex_model_run(input, output);
}
#endif

int main(int argc, char **argv) {
  if (argc < 3)
    return 1;
  int status = infer(argv[1]);
  if (status < 0)
    return 1;
  if (status == 0 && transfer(argv[2], output, sizeof output, 1))
    return 1;
  return status;
}
