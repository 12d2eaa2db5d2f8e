# Injected into KleidiAI's project() with -DCMAKE_PROJECT_KleidiAI_INCLUDE=<this file> (aarch64 builds).
#
# Why: Debian's aarch64 GCC 12.2 dies with an internal compiler error while auto-vectorizing
# kai_lhs_quant_pack_qai8dxp_bf16_neon.c (a bf16 LHS packing routine written in NEON intrinsics).
# Turning off the auto-vectorizer for that one file avoids the ICE and changes nothing else: the
# file is already hand-vectorized, every other KleidiAI/XNNPACK kernel keeps upstream's flags, and
# the set of kernels (and so XNNPACK's runtime kernel selection) stays the one upstream ships.
# COMPILE_FLAGS, not COMPILE_OPTIONS: KleidiAI assigns COMPILE_OPTIONS (-march=...) to its source
# lists later in its CMakeLists.txt, which would overwrite ours; source properties are read at
# generate time, so setting them here, before those lines run, still applies.
set_source_files_properties(
  "${CMAKE_CURRENT_SOURCE_DIR}/kai/ukernels/matmul/pack/kai_lhs_quant_pack_qai8dxp_bf16_neon.c"
  PROPERTIES COMPILE_FLAGS "-fno-tree-vectorize")
