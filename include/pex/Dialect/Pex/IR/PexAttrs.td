//===- PexAttrs.td - Pex attributes ------------------------*- tablegen -*-===//

#ifndef PEX_DIALECT_PEX_IR_PEXATTRS_TD
#define PEX_DIALECT_PEX_IR_PEXATTRS_TD

include "pex/Dialect/Pex/IR/PexBase.td"
include "mlir/IR/AttrTypeBase.td"

class Pex_Attr<string name, string attrMnemonic, list<Trait> traits = []>
    : AttrDef<Pex_Dialect, name, traits> {
  let mnemonic = attrMnemonic;
}

def Pex_PlacementAttr : Pex_Attr<"Placement", "placement"> {
  let summary = "Where a buffer lives in the static arena, and when";
  let description = [{
    Records the arena planner's decision for one buffer: the byte `offset`
    into the arena, the buffer's `size` in bytes, and its lifetime as the
    inclusive range of schedule steps `[first, last]` during which the bytes
    must not be reused. Steps number the operations of the planned function
    in execution order (see docs/memory-model.md). With memory pools
    (`#pex.pool`), `pool` names the pool the buffer lives in and `offset` is
    into that pool; without, it is absent and the buffer is in the one arena.
    With `state`, the buffer is not in the arena at all but is the global
    keeping that state between runs (a loop carrying the state from its
    value before the run computes its value after the run there); `offset`
    is then 0.

    ```mlir
    %v = memref.view %arena[%c64][] {pex.placement =
           #pex.placement<offset = 64, size = 2304, live = [3, 5]>}
         : memref<9216xi8> to memref<1x48x48x1xi8>
    ```
  }];
  let parameters = (ins "int64_t":$offset, "int64_t":$size,
                        "int64_t":$first, "int64_t":$last,
                        StringRefParameter<"memory pool", "\"\"">:$pool,
                        OptionalParameter<"FlatSymbolRefAttr",
                                          "state kept between runs">:$state);
  let builders = [
    AttrBuilder<(ins "int64_t":$offset, "int64_t":$size, "int64_t":$first,
                     "int64_t":$last), [{
      return $_get($_ctxt, offset, size, first, last, "", nullptr);
    }]>,
    AttrBuilder<(ins "int64_t":$offset, "int64_t":$size, "int64_t":$first,
                     "int64_t":$last, "StringRef":$pool), [{
      return $_get($_ctxt, offset, size, first, last, pool, nullptr);
    }]>
  ];
  // `<offset = O, size = S, live = [F, L]>`, then `, pool = "name"` or
  // `, state = @name` before the `>` when not in the arena.
  let hasCustomAssemblyFormat = 1;
  let extraClassDeclaration = [{
    /// Whether `other` begins at the same byte of the same memory (the
    /// arena, one pool or one state's global).
    bool beginsWith(PlacementAttr other) const;
  }];
  let genVerifyDecl = 1;
}

def Pex_ArenaAttr : Pex_Attr<"Arena", "arena"> {
  let summary = "The static arena that holds every intermediate buffer";
  let description = [{
    Attached to the arena's `memref.global` by `pex-plan-arena`: `size` is
    the arena's byte size and `alignment` the alignment of every buffer
    offset. `peak` is the largest sum of the exact sizes of the buffers live
    at one step (the memory model's figure for the same schedule);
    `lower_bound` is the same sum with every buffer padded to the alignment:
    no placement can be smaller. `size - lower_bound` is what the placement
    loses to fragmentation, `lower_bound - peak` what alignment costs.

    ```mlir
    memref.global "private" @pex_arena : memref<9216xi8> = uninitialized
        {alignment = 16 : i64, pex.arena = #pex.arena<size = 9216,
         alignment = 16, peak = 9200, lower_bound = 9216>}
    ```
  }];
  let parameters = (ins "int64_t":$size, "int64_t":$alignment,
                        "int64_t":$peak, "int64_t":$lower_bound);
  let assemblyFormat = [{
    `<` `size` `=` $size `,` `alignment` `=` $alignment `,`
        `peak` `=` $peak `,` `lower_bound` `=` $lower_bound `>`
  }];
  let genVerifyDecl = 1;
}

def Pex_PoolAttr : Pex_Attr<"Pool", "pool"> {
  let summary = "One memory pool of the arena and how much of it is used";
  let description = [{
    With `--memory-pool`, the arena is split over pools, fastest first (a
    core-coupled RAM, then SRAM, then external RAM). `pex-plan-arena` lists
    them on the function in `pex.pools`: `capacity` is the pool's byte size,
    `size` the bytes the placement uses (at most `capacity`), `section` the
    linker section of its storage (empty: the default `.bss`).
    `pex-materialize-arena` makes one global per pool with a non-empty
    placement, carrying the pool.

    ```mlir
    func.func @model(...) attributes {pex.pools = [
        #pex.pool<name = "dtcm", capacity = 16384, size = 16384,
                  section = ".dtcm_bss">,
        #pex.pool<name = "sram", capacity = 131072, size = 53248>]}
    ```
  }];
  let parameters = (ins StringRefParameter<>:$name, "int64_t":$capacity,
                        "int64_t":$size,
                        StringRefParameter<"linker section", "\"\"">:$section);
  let assemblyFormat = [{
    `<` `name` `=` $name `,` `capacity` `=` $capacity `,` `size` `=` $size
        (`,` `section` `=` $section^)? `>`
  }];
  let genVerifyDecl = 1;
}

def Pex_LayerAttr : Pex_Attr<"Layer", "layer"> {
  let summary = "The model operator a generated kernel function computes";
  let description = [{
    Attached by `pex-lower-kernels` to each outlined kernel function, so a
    profile of the generated code can be read per operator of the model:
    `op` is the kernel's anchor operation (`tosa.conv2d`), `name` the
    model's name for it (the importer's tensor name, or empty), and `macs`
    the multiply-accumulates of one call (one channel slice inside a
    partial-execution loop; a call count from a profile gives the total).

    ```mlir
    func.func private @pex_kws_run_k3_conv2d(...) attributes {pex.layer =
        #pex.layer<op = "tosa.conv2d", name = "conv_1", macs = 103680>}
    ```
  }];
  let parameters = (ins StringRefParameter<>:$op, StringRefParameter<>:$name,
                        "int64_t":$macs);
  let assemblyFormat = [{
    `<` `op` `=` $op `,` `name` `=` $name `,` `macs` `=` $macs `>`
  }];
}

#endif // PEX_DIALECT_PEX_IR_PEXATTRS_TD
