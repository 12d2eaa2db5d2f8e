# Cross toolchain: linux-arm64 from an x86_64 Debian host, using Debian's cross compilers
# (apt: gcc-aarch64-linux-gnu; g++-aarch64-linux-gnu too when building TFLite from source).
# No sysroot: the Debian cross packages install the arm64 libc/libstdc++ under
# /usr/aarch64-linux-gnu, which the cross gcc already searches.
set(CMAKE_SYSTEM_NAME Linux)
set(CMAKE_SYSTEM_PROCESSOR aarch64)

set(CMAKE_C_COMPILER aarch64-linux-gnu-gcc)
set(CMAKE_CXX_COMPILER aarch64-linux-gnu-g++)

# Look for target libraries/headers only in the arm64 tree, but run host programs.
set(CMAKE_FIND_ROOT_PATH /usr/aarch64-linux-gnu)
set(CMAKE_FIND_ROOT_PATH_MODE_PROGRAM NEVER)
set(CMAKE_FIND_ROOT_PATH_MODE_LIBRARY ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_INCLUDE ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_PACKAGE ONLY)

# Lets try_run() checks (and anyone using CMAKE_CROSSCOMPILING_EMULATOR) run arm64 binaries.
find_program(YAMNET_QEMU_AARCH64 qemu-aarch64)
if(YAMNET_QEMU_AARCH64)
  set(CMAKE_CROSSCOMPILING_EMULATOR "${YAMNET_QEMU_AARCH64};-L;/usr/aarch64-linux-gnu")
endif()
