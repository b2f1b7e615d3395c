"""File-level fuzzing of the model importers.

Real .tflite and .onnx files (`seeds`) are mutated at the byte level (`byte_mutations`),
through the flatbuffer's structure (`tflite_mutations`: offsets, vector lengths, shapes,
types and indices rewritten in place) and through the ONNX protobuf
(`onnx_mutations`: semantically corrupt models written with the onnx package), and each
mutant is imported under a time and memory limit (`execution`). Every outcome must be a
clean one-line located error with exit status 1, or TOSA that pexc compiles or refuses
cleanly; anything else is a finding. `python3 -m pex.fuzz --help` runs it.
"""
