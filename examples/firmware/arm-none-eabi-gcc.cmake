# CMake toolchain file: bare-metal Cortex-M4 with the GNU Arm toolchain
# (Debian's gcc-arm-none-eabi and libnewlib-arm-none-eabi).
#   cmake -DCMAKE_TOOLCHAIN_FILE=examples/firmware/arm-none-eabi-gcc.cmake ...
# PEX_FLOAT_ABI (hard, softfp or soft) picks the float ABI of the firmware;
# the model objects are compiled with the same --float-abi.
set(CMAKE_SYSTEM_NAME Generic)
set(CMAKE_SYSTEM_PROCESSOR arm)
set(CMAKE_C_COMPILER arm-none-eabi-gcc)
# No host-style test executable can link without startup code.
set(CMAKE_TRY_COMPILE_TARGET_TYPE STATIC_LIBRARY)

set(PEX_FLOAT_ABI "hard" CACHE STRING "hard, softfp or soft")
set(pex_fpu_flags "-mfloat-abi=${PEX_FLOAT_ABI}")
if(NOT PEX_FLOAT_ABI STREQUAL "soft")
  string(APPEND pex_fpu_flags " -mfpu=fpv4-sp-d16")
endif()
set(CMAKE_C_FLAGS_INIT "-mcpu=cortex-m4 -mthumb ${pex_fpu_flags} -ffreestanding")
set(CMAKE_EXE_LINKER_FLAGS_INIT "-nostartfiles")
