/* Runs two models compiled into one object, which share its arena
   (several-models.test): the keyword model, the autoencoder, then the keyword
   model again, whose output must not have changed although the autoencoder
   overwrote the arena in between.
     two_models KWS_IN AD_IN KWS_OUT AD_OUT  -> exit status 0, or 1 */
#include "ad_autoencoder.h"
#include "ds_cnn.h"

#include <stdio.h>
#include <string.h>

static pex_ds_cnn_input_t kws_in[PEX_DS_CNN_INPUT_BYTES / sizeof(pex_ds_cnn_input_t)];
static pex_ds_cnn_output_t kws_out[PEX_DS_CNN_OUTPUT_BYTES / sizeof(pex_ds_cnn_output_t)];
static pex_ds_cnn_output_t kws_again[PEX_DS_CNN_OUTPUT_BYTES / sizeof(pex_ds_cnn_output_t)];
static pex_ad_autoencoder_input_t ad_in[PEX_AD_AUTOENCODER_INPUT_BYTES /
                                        sizeof(pex_ad_autoencoder_input_t)];
static pex_ad_autoencoder_output_t ad_out[PEX_AD_AUTOENCODER_OUTPUT_BYTES /
                                          sizeof(pex_ad_autoencoder_output_t)];

static int transfer(const char *path, void *bytes, size_t size, int writing) {
  FILE *file = fopen(path, writing ? "wb" : "rb");
  if (!file)
    return 1;
  size_t done = writing ? fwrite(bytes, 1, size, file) : fread(bytes, 1, size, file);
  fclose(file);
  return done != size;
}

int main(int argc, char **argv) {
  if (argc != 5 || transfer(argv[1], kws_in, sizeof kws_in, 0) ||
      transfer(argv[2], ad_in, sizeof ad_in, 0))
    return 1;
  if (pex_ds_cnn_run(kws_in, kws_out) || pex_ad_autoencoder_run(ad_in, ad_out) ||
      pex_ds_cnn_run(kws_in, kws_again))
    return 1;
  if (memcmp(kws_out, kws_again, sizeof kws_out) != 0) {
    fprintf(stderr, "the keyword model's second run differs\n");
    return 1;
  }
  return transfer(argv[3], kws_out, sizeof kws_out, 1) ||
         transfer(argv[4], ad_out, sizeof ad_out, 1);
}
