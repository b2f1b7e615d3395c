/* An application of a model that keeps state between runs: two frames, then
   pex_NAME_reset_state(), then the first frame again, which must give the first
   run's output, while the second run (continuing from the first's state) gives
   other bytes than the first frame did. Prints "reset restores the initial state"
   and returns 0 when it does. */
#include MODEL_HEADER

#include <stdio.h>
#include <string.h>

static pex_model_input_t frames[2][PEX_MODEL_INPUT_BYTES / sizeof(pex_model_input_t)];
static pex_model_output_t outputs[3][PEX_MODEL_OUTPUT_BYTES / sizeof(pex_model_output_t)];

int main(void) {
  unsigned char *bytes = (unsigned char *)frames;
  for (size_t i = 0; i < sizeof frames; ++i)
    bytes[i] = (unsigned char)(i * 7 + 3);
  PEX_MODEL_RUN(frames[0], outputs[0]);
  PEX_MODEL_RUN(frames[0], outputs[1]);
  PEX_MODEL_RESET_STATE();
  PEX_MODEL_RUN(frames[0], outputs[2]);
  if (memcmp(outputs[0], outputs[1], sizeof outputs[0]) == 0) {
    puts("the second run ignored the state the first left");
    return 1;
  }
  if (memcmp(outputs[0], outputs[2], sizeof outputs[0]) != 0) {
    puts("the run after the reset differs from the first");
    return 1;
  }
  puts("reset restores the initial state");
  return 0;
}
