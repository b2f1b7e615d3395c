# -*- Python -*-
# The integration suite (check-pex-integration): runs on QEMU, real models,
# corpora and training. It shares test/'s configuration (tools, features,
# substitutions) over this folder.
import os

lit_config.load_config(config, os.path.join(config.pex_src_root, "test", "lit.cfg.py"))
config.name = "PEX-INTEGRATION"
config.test_source_root = os.path.dirname(__file__)
config.test_exec_root = os.path.join(config.pex_obj_root, "integration_test")
