# SPDX-License-Identifier: MIT
# erimGenerate.cmake: the build-time step of erim_add_interface (run with
# cmake -P; see erimConfig.cmake).  Runs erimgen on SRC into a private
# directory, then writes into OUT, named after the .erim file (STEM):
#   STEM_erim.h, STEM_trusted.h, STEM_gates.c (and STEM_ocalls.c when FLAGS
#       has --split-ocalls)  -- replaced only when their text changed, so
#       targets including an unchanged header are not rebuilt
#   STEM.erim.d      the dependency file (the stamp on SRC and every import)
#   STEM.erim.stamp  touched on every run (the custom command's output)
# Inputs: ERIMGEN, SRC, OUT, STEM, FLAGS (a ;-list of extra erimgen options).
foreach(v ERIMGEN SRC OUT STEM)
  if(NOT DEFINED ${v})
    message(FATAL_ERROR "erimGenerate.cmake: ${v} is not set")
  endif()
endforeach()
set(tmp "${OUT}/${STEM}.erim-t")
file(REMOVE_RECURSE "${tmp}")
file(MAKE_DIRECTORY "${tmp}")
execute_process(COMMAND "${ERIMGEN}" ${FLAGS} "--depfile=${tmp}/d" -o "${tmp}" "${SRC}"
                RESULT_VARIABLE rc)
if(NOT rc EQUAL 0)
  file(REMOVE_RECURSE "${tmp}")
  message(FATAL_ERROR "erimgen failed on ${SRC} (exit status ${rc})")
endif()
file(GLOB gates "${tmp}/*_gates.c")
list(LENGTH gates n)
if(NOT n EQUAL 1)
  file(REMOVE_RECURSE "${tmp}")
  message(FATAL_ERROR "${SRC}: erim_add_interface needs exactly one interface per .erim file (found ${n})")
endif()
get_filename_component(iface "${gates}" NAME)
string(REGEX REPLACE "_gates\\.c$" "" iface "${iface}")
file(COPY_FILE "${tmp}/${iface}_erim.h" "${OUT}/${STEM}_erim.h" ONLY_IF_DIFFERENT)
file(COPY_FILE "${tmp}/${iface}_trusted.h" "${OUT}/${STEM}_trusted.h" ONLY_IF_DIFFERENT)
# the C files include their headers by interface name; here they are STEM_*.h
foreach(part gates ocalls)
  if(EXISTS "${tmp}/${iface}_${part}.c")
    file(READ "${tmp}/${iface}_${part}.c" text)
    string(REPLACE "#include \"${iface}_erim.h\"" "#include \"${STEM}_erim.h\"" text "${text}")
    string(REPLACE "#include \"${iface}_trusted.h\"" "#include \"${STEM}_trusted.h\"" text "${text}")
    file(WRITE "${tmp}/${part}.c" "${text}")
    file(COPY_FILE "${tmp}/${part}.c" "${OUT}/${STEM}_${part}.c" ONLY_IF_DIFFERENT)
  endif()
endforeach()
# dependency file: erimgen's first rule's prerequisites, on the stamp
file(READ "${tmp}/d" dep)
string(REGEX REPLACE "\\\\\n" " " dep "${dep}")
string(REGEX REPLACE "\n.*" "" dep "${dep}")
string(REGEX REPLACE "^[^:]*:" "" dep "${dep}")
file(WRITE "${OUT}/${STEM}.erim.d" "${OUT}/${STEM}.erim.stamp:${dep}\n")
file(REMOVE_RECURSE "${tmp}")
file(TOUCH "${OUT}/${STEM}.erim.stamp")
