/* A stand-in for a --io=stream model (the header of
   test/Driver/Inputs/relu.mlir compiled with --io=stream, named "net") that
   reads every input row but hands the output's rows over as
   MISORDER says: 0 in order, 1 the second row first, 2 a row twice,
   3 one row short. The harness must refuse all but 0. */
#include <stdint.h>

static pex_net_output_t rows[PEX_NET_OUTPUT_BYTES / sizeof(pex_net_output_t)];

int pex_net_run(void) {
  static pex_net_input_t input[PEX_NET_INPUT_BYTES / sizeof(pex_net_input_t)];
  pex_net_read_input_rows(input, 0, PEX_NET_INPUT_ROWS);
  for (int i = 0; i < (int)(sizeof rows / sizeof rows[0]); ++i)
    rows[i] = (pex_net_output_t)input[i];
  const int32_t row = PEX_NET_OUTPUT_ROW_BYTES / sizeof(pex_net_output_t);
  const int32_t last = PEX_NET_OUTPUT_ROWS - 1;
  switch (MISORDER) {
  case 0:
    pex_net_write_output_rows(rows, 0, PEX_NET_OUTPUT_ROWS);
    break;
  case 1:
    pex_net_write_output_rows(rows + row, 1, 1);
    pex_net_write_output_rows(rows, 0, 1);
    break;
  case 2:
    pex_net_write_output_rows(rows, 0, 1);
    pex_net_write_output_rows(rows, 0, PEX_NET_OUTPUT_ROWS);
    break;
  default:
    pex_net_write_output_rows(rows, 0, last);
    break;
  }
  return 0;
}
