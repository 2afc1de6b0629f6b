# Cross-compiles the native library for linux-aarch64 with Debian's cross toolchain
# (apt-get install gcc-aarch64-linux-gnu). jni.h is the same for every architecture, and the
# build JDK's include/linux/jni_md.h holds nothing architecture-specific, so the x86-64 JDK's
# headers serve here too.
set(CMAKE_SYSTEM_NAME Linux)
set(CMAKE_SYSTEM_PROCESSOR aarch64)
set(MP4J_CROSS_PREFIX aarch64-linux-gnu-)
set(CMAKE_C_COMPILER ${MP4J_CROSS_PREFIX}gcc)
find_program(CMAKE_READELF NAMES ${MP4J_CROSS_PREFIX}readelf readelf)
# Libraries and headers of the target come from the cross sysroot only; programs from the host.
set(CMAKE_FIND_ROOT_PATH /usr/aarch64-linux-gnu)
set(CMAKE_FIND_ROOT_PATH_MODE_PROGRAM NEVER)
set(CMAKE_FIND_ROOT_PATH_MODE_LIBRARY ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_INCLUDE ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_PACKAGE ONLY)
