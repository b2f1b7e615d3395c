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
    in execution order (see docs/memory-model.md).

    ```mlir
    %v = memref.view %arena[%c64][] {pex.placement =
           #pex.placement<offset = 64, size = 2304, live = [3, 5]>}
         : memref<9216xi8> to memref<1x48x48x1xi8>
    ```
  }];
  let parameters = (ins "int64_t":$offset, "int64_t":$size,
                        "int64_t":$first, "int64_t":$last);
  let assemblyFormat = [{
    `<` `offset` `=` $offset `,` `size` `=` $size `,`
        `live` `=` `[` $first `,` $last `]` `>`
  }];
  let genVerifyDecl = 1;
}

def Pex_ArenaAttr : Pex_Attr<"Arena", "arena"> {
  let summary = "The static arena that holds every intermediate buffer";
  let description = [{
    Attached to the arena's `memref.global` by `pex-plan-arena`: `size` is
    the arena's byte size, `alignment` the alignment of every buffer offset,
    `peak` the peak live bytes of the schedule (the memory model's figure,
    without alignment padding) and `lower_bound` the bytes that must be live
    at some step in any placement. `size - peak` is the padding and packing
    loss the planner could not avoid.

    ```mlir
    memref.global "private" @pex_arena : memref<9216xi8> {alignment = 16 : i64,
        pex.arena = #pex.arena<size = 9216, alignment = 16, peak = 9216,
                               lower_bound = 9216>}
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

#endif // PEX_DIALECT_PEX_IR_PEXATTRS_TD
