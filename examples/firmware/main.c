/* The firmware's application: reads the model's input from a host file,
   runs one inference and writes the output to another, over semihosting
   (QEMU: -append "INPUT OUTPUT"). Exit status: the model's, or 1 when a file
   cannot be read or written. */
#include "model.h"
#include "semihost.h"

static pex_model_input_t input[PEX_MODEL_INPUT_BYTES / sizeof(pex_model_input_t)];
static pex_model_output_t output[PEX_MODEL_OUTPUT_BYTES / sizeof(pex_model_output_t)];

static int transfer(const char *path, void *bytes, unsigned size, int writing) {
  int fd = pex_sh_open(path, writing ? PEX_SH_MODE_WB : PEX_SH_MODE_RB);
  if (fd < 0)
    return 1;
  int left = writing ? pex_sh_write(fd, bytes, size) : pex_sh_read(fd, bytes, size);
  pex_sh_close(fd);
  return left != 0;
}

int main(int argc, char **argv) {
  if (argc < 3 || transfer(argv[1], input, sizeof input, 0))
    return 1;
  int status = pex_model_run(input, output);
  if (status == 0 && transfer(argv[2], output, sizeof output, 1))
    return 1;
  return status;
}
