# Fails when a built library needs a glibc symbol version newer than the baseline, naming each
# offending symbol. Run as a POST_BUILD step:
#   cmake -DLIBRARY=<file.so> -DREADELF=<readelf> -DBASELINE=2.17 -P check-glibc-versions.cmake
# It reads the dynamic symbol table (readelf reads an ELF of any architecture), where each
# imported symbol carries the version it was bound to at link time ("sem_init@GLIBC_2.34").
if(NOT LIBRARY OR NOT BASELINE)
  message(FATAL_ERROR "usage: cmake -DLIBRARY=<file.so> -DBASELINE=<x.y> [-DREADELF=<readelf>] -P ${CMAKE_CURRENT_LIST_FILE}")
endif()
if(NOT READELF)
  set(READELF readelf)
endif()
execute_process(COMMAND "${READELF}" --dyn-syms --wide "${LIBRARY}"
  OUTPUT_VARIABLE symbols ERROR_VARIABLE errors RESULT_VARIABLE status)
if(NOT status EQUAL 0)
  message(FATAL_ERROR "cannot read the symbols of ${LIBRARY} with ${READELF}: ${errors}")
endif()
string(REGEX MATCHALL "[A-Za-z0-9_.]+@+GLIBC_[0-9.]+" references "${symbols}")
set(offending "")
set(newest "")
foreach(reference IN LISTS references)
  string(REGEX REPLACE "^([^@]+)@+GLIBC_([0-9.]+)$" "\\1" name "${reference}")
  string(REGEX REPLACE "^([^@]+)@+GLIBC_([0-9.]+)$" "\\2" version "${reference}")
  if(version VERSION_GREATER BASELINE)
    list(APPEND offending "  ${name} needs GLIBC_${version}")
  endif()
endforeach()
if(offending)
  list(REMOVE_DUPLICATES offending)
  list(JOIN offending "\n" lines)
  message(FATAL_ERROR "${LIBRARY} needs glibc symbol versions newer than the baseline GLIBC_${BASELINE}, "
    "so it would not load on older distributions:\n${lines}\n"
    "Call the kernel through syscall(2), or bind the symbol's old version (.symver), instead.")
endif()
list(LENGTH references count)
if(count EQUAL 0)
  message(FATAL_ERROR "no GLIBC symbol versions found in ${LIBRARY}: is ${READELF} able to read it?")
endif()
