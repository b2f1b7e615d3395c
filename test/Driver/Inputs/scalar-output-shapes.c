/* Compiled with scalar-output.mlir's header included (header-shapes.test). */
static const int inputShape[] = PEX_SCALAR_INPUT_SHAPE;

int main(void) { return inputShape[1] - 4 + PEX_SCALAR_OUTPUT_RANK; }
