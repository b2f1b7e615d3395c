//===- ModelInterface.cpp - The C interface of a compiled model -*- C++ -*-===//

#include "pex/Driver/ModelInterface.h"

#include "DriverConfig.h"
#include "pex/Dialect/Pex/IR/PexDialect.h"

#include "mlir/IR/BuiltinTypes.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/Format.h"

#include <cstdlib>

using namespace mlir;
using namespace mlir::pex::driver;

static std::optional<TensorInterface>
describeTensor(func::FuncOp func, Type type, DictionaryAttr attrs,
               llvm::StringRef role) {
  auto tensor = dyn_cast<RankedTensorType>(type);
  if (!tensor || !tensor.hasStaticShape()) {
    func.emitError() << "pex: the model's " << role << " " << type
                     << " must be a tensor of static shape";
    return std::nullopt;
  }
  TensorInterface result;
  result.shape.assign(tensor.getShape().begin(), tensor.getShape().end());
  Type element = tensor.getElementType();
  bool holdsUnsigned = attrs && attrs.get(pex::kUnsignedAttrName);
  if (holdsUnsigned && !element.isSignlessInteger(8)) {
    func.emitError() << "pex: the model's " << role << " is marked "
                     << pex::kUnsignedAttrName << " but holds " << element
                     << ", not i8";
    return std::nullopt;
  }
  if (holdsUnsigned || element.isUnsignedInteger(8)) {
    result.elementName = "uint8";
    result.cType = "uint8_t";
  } else if (element.isSignlessInteger(8) || element.isSignedInteger(8)) {
    result.elementName = "int8";
    result.cType = "int8_t";
  } else if (element.isInteger(16)) {
    result.elementName = "int16";
    result.cType = "int16_t";
  } else if (element.isInteger(32)) {
    result.elementName = "int32";
    result.cType = "int32_t";
  } else if (element.isF32()) {
    result.elementName = "float32";
    result.cType = "float";
  } else {
    func.emitError() << "pex: the model's " << role << " element type "
                     << element << " has no C type in the generated header";
    return std::nullopt;
  }
  result.bytes = tensor.getNumElements() * element.getIntOrFloatBitWidth() / 8;
  if (attrs) {
    if (auto name = attrs.getAs<StringAttr>("pex.name"))
      result.name = name.str();
    if (auto scale = attrs.getAs<FloatAttr>("pex.scale"))
      result.scale = scale.getValueAsDouble();
    if (auto zeroPoint = attrs.getAs<IntegerAttr>("pex.zero_point"))
      result.zeroPoint = zeroPoint.getInt();
  }
  return result;
}

std::optional<ModelInterface> mlir::pex::driver::describeModel(func::FuncOp func) {
  if (func.getNumArguments() == 0 || func.getNumResults() == 0) {
    func.emitError() << "pex: the C entry point needs at least one input and "
                        "one output; @"
                     << func.getSymName() << " has " << func.getNumArguments()
                     << " inputs and " << func.getNumResults() << " outputs";
    return std::nullopt;
  }
  ModelInterface model;
  model.name = func.getSymName().str();
  auto describeAll = [&](TypeRange types, auto attrsOf, llvm::StringRef role,
                         std::vector<TensorInterface> &tensors) {
    for (auto [index, type] : llvm::enumerate(types)) {
      auto tensor = describeTensor(func, type, attrsOf(index), role);
      if (!tensor)
        return false;
      tensors.push_back(*tensor);
    }
    return true;
  };
  if (!describeAll(
          func.getArgumentTypes(),
          [&](unsigned index) { return func.getArgAttrDict(index); }, "input",
          model.inputs) ||
      !describeAll(
          func.getResultTypes(),
          [&](unsigned index) { return func.getResultAttrDict(index); },
          "output", model.outputs))
    return std::nullopt;
  return model;
}

static int64_t sumBytes(llvm::ArrayRef<TensorInterface> tensors) {
  int64_t bytes = 0;
  for (const TensorInterface &tensor : tensors)
    bytes += tensor.bytes;
  return bytes;
}

int64_t ModelInterface::getInputBytes() const { return sumBytes(inputs); }
int64_t ModelInterface::getOutputBytes() const { return sumBytes(outputs); }

std::string mlir::pex::driver::getArenaSymbol(llvm::StringRef name) {
  return ("pex_" + name + "_arena").str();
}

static void writeTensor(llvm::raw_ostream &os, llvm::StringRef prefix,
                        llvm::StringRef role, llvm::StringRef typeName,
                        const TensorInterface &tensor) {
  std::string upperRole = llvm::StringRef(role).upper();
  llvm::StringRef kind = role.starts_with("input") ? "Input" : "Output";
  os << "/* " << kind;
  if (llvm::StringRef number = role.drop_front(kind.size()); !number.empty())
    os << " " << number;
  if (!tensor.name.empty())
    os << " \"" << tensor.name << "\"";
  os << ": " << tensor.elementName << " [";
  llvm::interleaveComma(tensor.shape, os);
  os << "]";
  if (tensor.scale) {
    int64_t zeroPoint = tensor.zeroPoint.value_or(0);
    os << ", real = " << llvm::format("%.9g", *tensor.scale) << " * (q "
       << (zeroPoint < 0 ? "+ " : "- ") << std::abs(zeroPoint) << ")";
  }
  os << ". */\n";
  os << "#define " << prefix << "_" << upperRole << "_RANK "
     << tensor.shape.size() << "\n";
  // C has no empty initializer before C23: a scalar has a rank and no shape.
  if (!tensor.shape.empty()) {
    os << "#define " << prefix << "_" << upperRole << "_SHAPE {";
    llvm::interleaveComma(tensor.shape, os);
    os << "}\n";
  }
  os << "#define " << prefix << "_" << upperRole << "_BYTES " << tensor.bytes
     << "\n";
  if (tensor.scale)
    os << "#define " << prefix << "_" << upperRole << "_SCALE "
       << llvm::format("%.9g", *tensor.scale) << "f\n";
  if (tensor.zeroPoint)
    os << "#define " << prefix << "_" << upperRole << "_ZERO_POINT ("
       << *tensor.zeroPoint << ")\n";
  os << "typedef " << tensor.cType << " " << typeName << ";\n\n";
}

/// What a program built around a model of several inputs or outputs (the
/// harness) needs to hold them and call it: counts, sizes in order, and the
/// call from arrays of pointers (with the arena holding them, the arrays of
/// their addresses).
static void
writeSeveralTensorsGenericNames(llvm::raw_ostream &os, llvm::StringRef lower,
                                llvm::ArrayRef<std::string> inputRoles,
                                llvm::ArrayRef<std::string> outputRoles,
                                const ModelInterface &model, bool arenaIO) {
  auto sizes = [&](llvm::ArrayRef<TensorInterface> tensors) {
    os << "{";
    llvm::interleaveComma(tensors, os, [&](const TensorInterface &tensor) {
      os << tensor.bytes;
    });
    os << "}\n";
  };
  os << "#define PEX_MODEL_INPUT_COUNT " << model.inputs.size() << "\n";
  os << "#define PEX_MODEL_OUTPUT_COUNT " << model.outputs.size() << "\n";
  os << "#define PEX_MODEL_INPUT_SIZES ";
  sizes(model.inputs);
  os << "#define PEX_MODEL_OUTPUT_SIZES ";
  sizes(model.outputs);
  if (arenaIO) {
    auto addresses = [&](llvm::ArrayRef<std::string> roles) {
      os << "{";
      llvm::interleaveComma(roles, os, [&](const std::string &role) {
        os << "(void *)" << lower << "_" << role << "()";
      });
      os << "}\n";
    };
    os << "#define PEX_MODEL_INPUT_ADDRESSES ";
    addresses(inputRoles);
    os << "#define PEX_MODEL_OUTPUT_ADDRESSES ";
    addresses(outputRoles);
    return;
  }
  os << "#define PEX_MODEL_CALL(inputs, outputs) " << lower << "_run(";
  for (auto [index, role] : llvm::enumerate(inputRoles))
    os << "(const " << lower << "_" << role << "_t *)(inputs)[" << index
       << "], ";
  for (auto [index, role] : llvm::enumerate(outputRoles))
    os << (index ? ", " : "") << "(" << lower << "_" << role
       << "_t *)(outputs)[" << index << "]";
  os << ")\n";
}

void mlir::pex::driver::writeHeader(llvm::raw_ostream &os, const ModelInterface &model,
                       const HeaderFigures &figures) {
  std::string prefix = "PEX_" + llvm::StringRef(model.name).upper();
  std::string lower = "pex_" + model.name;
  // Roles name the tensors' macros, types and accessors: "input", or "input0",
  // "input1", ... when there are several (pex-materialize-arena's accessors).
  auto rolesOf = [](llvm::StringRef kind, size_t count) {
    std::vector<std::string> roles;
    for (size_t index = 0; index < count; ++index)
      roles.push_back(count == 1 ? kind.str()
                                 : (kind + llvm::Twine(index)).str());
    return roles;
  };
  std::vector<std::string> inputRoles = rolesOf("input", model.inputs.size());
  std::vector<std::string> outputRoles =
      rolesOf("output", model.outputs.size());
  auto typeOf = [&](const std::string &role) {
    return lower + "_" + role + "_t";
  };
  bool several = model.inputs.size() > 1 || model.outputs.size() > 1;
  // Row streaming hands over one input and one output (pexc refuses more).
  std::string inputType = typeOf(inputRoles.front());
  std::string outputType = typeOf(outputRoles.front());
  std::string arena = getArenaSymbol(model.name);

  os << "/* Generated by pexc " << PEXC_VERSION << " from "
     << figures.sourceModel << ". Do not edit. */\n";
  os << "#ifndef " << prefix << "_H\n#define " << prefix << "_H\n\n";
  os << "#include <stdint.h>\n\n#ifdef __cplusplus\nextern \"C\" {\n#endif\n\n";
  for (auto [role, tensor] : llvm::zip(inputRoles, model.inputs))
    writeTensor(os, prefix, role, typeOf(role), tensor);
  for (auto [role, tensor] : llvm::zip(outputRoles, model.outputs))
    writeTensor(os, prefix, role, typeOf(role), tensor);
  if (several) {
    os << "/* All inputs' and all outputs' bytes, one tensor after another. "
          "*/\n";
    if (model.inputs.size() > 1)
      os << "#define " << prefix << "_INPUT_BYTES " << model.getInputBytes()
         << "\n";
    if (model.outputs.size() > 1)
      os << "#define " << prefix << "_OUTPUT_BYTES " << model.getOutputBytes()
         << "\n";
    os << "\n";
  }
  os << "/* SRAM for intermediate tensors (the arena) and flash for code and "
        "weights, in bytes. */\n";
  os << "#define " << prefix << "_ARENA_BYTES " << figures.arenaBytes << "\n";
  os << "#define " << prefix << "_FLASH_BYTES " << figures.flashBytes << "\n";
  os << "#define " << prefix << "_EXTERNAL_ARENA "
     << (figures.externalArena ? 1 : 0) << "\n";
  os << "#define " << prefix << "_ARENA_IO " << (figures.arenaIO ? 1 : 0)
     << "\n";
  bool inputRows = figures.inputRows > 0;
  os << "#define " << prefix << "_IO_STREAM " << (inputRows ? 1 : 0) << "\n";
  os << "/* SRAM for the state the model keeps from one run to the next "
        "(0: none). */\n";
  os << "#define " << prefix << "_STATE_BYTES " << figures.stateBytes << "\n\n";
  if (figures.stateBytes > 0)
    os << "/* Each run continues from the state the previous one left (as "
          "TFLite Micro's\n   variable tensors: SVDF memories, LSTM states). "
          "It starts as the model's\n   initial state when the program "
          "loads; this puts it back, e.g. before a\n   new stream of "
          "input. */\n"
       << "void " << lower << "_reset_state(void);\n\n";
  if (!figures.pools.empty()) {
    os << "/* The arena split over memory pools, fastest first: bytes used, "
          "capacity and\n   linker section of each; the pool is the array "
       << arena << "_NAME. */\n";
    for (const PoolFigures &pool : figures.pools) {
      std::string macro =
          prefix + "_POOL_" + llvm::StringRef(pool.name).upper();
      os << "#define " << macro << "_BYTES " << pool.usedBytes << "\n";
      os << "#define " << macro << "_CAPACITY " << pool.capacityBytes << "\n";
      if (!pool.section.empty())
        os << "#define " << macro << "_SECTION \"" << pool.section << "\"\n";
    }
    os << "\n";
  }
  if (figures.externalArena && figures.pools.empty())
    os << "/* The application defines the arena (16-byte aligned), e.g. in a "
          "chosen SRAM bank. */\nextern uint8_t "
       << arena << "[" << prefix << "_ARENA_BYTES];\n\n";
  if (figures.externalArena && !figures.pools.empty()) {
    os << "/* The application defines each pool that holds buffers "
          "(16-byte aligned). */\n";
    for (const PoolFigures &pool : figures.pools)
      if (pool.usedBytes > 0)
        os << "extern uint8_t " << arena << "_" << pool.name << "[" << prefix
           << "_POOL_" << llvm::StringRef(pool.name).upper() << "_BYTES];\n";
    os << "\n";
  }
  if (figures.arenaIO) {
    if (several)
      os << "/* The inputs and outputs live in the arena. Write each input at "
            "the address\n   its function returns, call "
         << lower
         << "_run(), then read the outputs at\n   theirs. The run overwrites "
            "the inputs (their bytes are reused); the\n   outputs stay valid "
            "until the next run. */\n";
    else
      os << "/* The input and output live in the arena. Write the input at "
            "the address\n   "
         << lower << "_input() returns, call " << lower
         << "_run(), then read the output\n   at " << lower
         << "_output(). The run overwrites the input (its bytes are reused);\n"
            "   the output stays valid until the next run. */\n";
    for (const std::string &role : inputRoles)
      os << typeOf(role) << " *" << lower << "_" << role << "(void);\n";
    for (const std::string &role : outputRoles)
      os << typeOf(role) << " *" << lower << "_" << role << "(void);\n";
    os << "/* Runs one inference and returns 0. Not reentrant: every call "
          "uses the\n   same arena. */\n";
    os << "int " << lower << "_run(void);\n\n";
  } else if (inputRows) {
    os << "/* The application hands the input over and receives the output "
          "row by row.\n   During a run the model calls the application's\n     "
       << lower
       << "_read_input_rows(rows, first_row, row_count)\n"
          "   which writes row_count rows, from row first_row on, at `rows`, "
          "each\n   "
       << prefix
       << "_INPUT_ROW_BYTES bytes (the input's bytes in order). Every row is\n"
          "   asked for once, in increasing order: the function may wait for "
          "rows as\n   they arrive (camera lines, audio frames), and the "
          "whole input never has\n   to be in RAM. */\n";
    os << "#define " << prefix << "_INPUT_ROWS " << figures.inputRows << "\n";
    os << "#define " << prefix << "_INPUT_ROW_BYTES " << figures.inputRowBytes
       << "\n";
    os << "void " << lower << "_read_input_rows(" << inputType
       << " *rows, int32_t first_row, int32_t row_count);\n";
    os << "/* ... and the application's\n     " << lower
       << "_write_output_rows(rows, first_row, row_count)\n"
          "   which receives row_count rows of the output, from row first_row "
          "on, at\n   `rows`, each "
       << prefix
       << "_OUTPUT_ROW_BYTES bytes (the output's bytes in order),\n"
          "   valid during the call only. Every row is handed over once, in "
          "increasing\n   order, "
       << (figures.outputStreamed
               ? "each as soon as the model has computed it: the whole\n"
                 "   output never has to be in RAM either "
                 "("
             : "all at once after the last operator (")
       << prefix << "_OUTPUT_ROWS_STREAMED " << (figures.outputStreamed ? 1 : 0)
       << "). */\n";
    os << "#define " << prefix << "_OUTPUT_ROWS " << figures.outputRows << "\n";
    os << "#define " << prefix << "_OUTPUT_ROW_BYTES " << figures.outputRowBytes
       << "\n";
    os << "#define " << prefix << "_OUTPUT_ROWS_STREAMED "
       << (figures.outputStreamed ? 1 : 0) << "\n";
    os << "void " << lower << "_write_output_rows(const " << outputType
       << " *rows, int32_t first_row, int32_t row_count);\n";
    os << "/* Runs one inference through " << lower << "_read_input_rows and "
       << lower
       << "_write_output_rows;\n   returns 0. Not reentrant: every call uses "
          "the same arena. */\n";
    os << "int " << lower << "_run(void);\n\n";
  } else {
    os << (several ? "/* Runs one inference: reads the inputs, writes the "
                     "outputs, returns 0.\n"
                   : "/* Runs one inference: reads `input`, writes `output`, "
                     "returns 0.\n")
       << "   Not reentrant: every call uses the same arena. */\n";
    os << "int " << lower << "_run(";
    for (const std::string &role : inputRoles)
      os << "const " << typeOf(role) << " *" << role << ", ";
    llvm::interleaveComma(outputRoles, os, [&](const std::string &role) {
      os << typeOf(role) << " *" << role;
    });
    os << ");\n\n";
  }
  if (figures.genericNames) {
    // Generic names, unless the model's own names are the generic ones (a
    // model called "model"): a macro defined as itself would hide its value.
    auto alias = [&](llvm::StringRef generic, const std::string &own) {
      if (generic != own)
        os << "#define " << generic << " " << own << "\n";
    };
    os << "/* Generic names for programs built around one model. */\n";
    alias("PEX_MODEL_RUN", lower + "_run");
    alias("PEX_MODEL_INPUT_BYTES", prefix + "_INPUT_BYTES");
    alias("PEX_MODEL_OUTPUT_BYTES", prefix + "_OUTPUT_BYTES");
    if (model.inputs.size() == 1 && inputType != "pex_model_input_t")
      os << "typedef " << inputType << " pex_model_input_t;\n";
    if (model.outputs.size() == 1 && outputType != "pex_model_output_t")
      os << "typedef " << outputType << " pex_model_output_t;\n";
    if (several)
      writeSeveralTensorsGenericNames(os, lower, inputRoles, outputRoles, model,
                                      figures.arenaIO);
    alias("PEX_MODEL_ARENA_BYTES", prefix + "_ARENA_BYTES");
    alias("PEX_MODEL_EXTERNAL_ARENA", prefix + "_EXTERNAL_ARENA");
    alias("PEX_MODEL_ARENA_IO", prefix + "_ARENA_IO");
    alias("PEX_MODEL_IO_STREAM", prefix + "_IO_STREAM");
    alias("PEX_MODEL_STATE_BYTES", prefix + "_STATE_BYTES");
    if (figures.stateBytes > 0)
      alias("PEX_MODEL_RESET_STATE", lower + "_reset_state");
    if (inputRows) {
      alias("PEX_MODEL_READ_INPUT_ROWS", lower + "_read_input_rows");
      alias("PEX_MODEL_INPUT_ROWS", prefix + "_INPUT_ROWS");
      alias("PEX_MODEL_INPUT_ROW_BYTES", prefix + "_INPUT_ROW_BYTES");
      alias("PEX_MODEL_WRITE_OUTPUT_ROWS", lower + "_write_output_rows");
      alias("PEX_MODEL_OUTPUT_ROWS", prefix + "_OUTPUT_ROWS");
      alias("PEX_MODEL_OUTPUT_ROW_BYTES", prefix + "_OUTPUT_ROW_BYTES");
      alias("PEX_MODEL_OUTPUT_ROWS_STREAMED", prefix + "_OUTPUT_ROWS_STREAMED");
    }
    if (figures.arenaIO && !several) {
      alias("PEX_MODEL_INPUT", lower + "_input");
      alias("PEX_MODEL_OUTPUT", lower + "_output");
    }
    // With memory pools there is no one arena symbol.
    if (figures.pools.empty())
      alias("PEX_MODEL_ARENA_SYMBOL", arena);
    os << "\n";
  }
  os << "#ifdef __cplusplus\n}\n#endif\n\n#endif\n";
}
