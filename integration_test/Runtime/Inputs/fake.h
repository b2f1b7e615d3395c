/* Hand-written stand-in for a pexc-generated model header (model name "fake"). */
#ifndef PEX_FAKE_H
#define PEX_FAKE_H
#include <stdint.h>

#define PEX_MODEL_RUN          pex_fake_run
#define PEX_MODEL_INPUT_BYTES  256
#define PEX_MODEL_OUTPUT_BYTES 64
typedef int8_t pex_model_input_t;
typedef float pex_model_output_t;
#define PEX_MODEL_ARENA_BYTES 1024
#define PEX_MODEL_EXTERNAL_ARENA 1
#define PEX_MODEL_ARENA_SYMBOL pex_fake_arena

int pex_fake_run(const int8_t *input, float *output);
#endif
