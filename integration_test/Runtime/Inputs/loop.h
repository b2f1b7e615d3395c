/* Hand-written model header for the instruction-count test (model "loop"). */
#ifndef PEX_LOOP_H
#define PEX_LOOP_H
#include <stdint.h>

#define PEX_MODEL_RUN          pex_loop_run
#define PEX_MODEL_INPUT_BYTES  4
#define PEX_MODEL_OUTPUT_BYTES 4
typedef int8_t pex_model_input_t;
typedef int8_t pex_model_output_t;
#define PEX_MODEL_ARENA_BYTES 0
#define PEX_MODEL_EXTERNAL_ARENA 0
#define PEX_MODEL_ARENA_SYMBOL pex_loop_arena

int pex_loop_run(const int8_t *input, int8_t *output);
#endif
