/* Hand-written model header for the stack-painting test (model "stack"). */
#ifndef PEX_STACK_H
#define PEX_STACK_H
#include <stdint.h>

#define PEX_MODEL_RUN          pex_stack_run
#define PEX_MODEL_INPUT_BYTES  16
#define PEX_MODEL_OUTPUT_BYTES 4
typedef uint8_t pex_model_input_t;
typedef int32_t pex_model_output_t;
#define PEX_MODEL_ARENA_BYTES 0
#define PEX_MODEL_EXTERNAL_ARENA 0
#define PEX_MODEL_ARENA_SYMBOL pex_stack_arena

int pex_stack_run(const uint8_t *input, int32_t *output);
#endif
