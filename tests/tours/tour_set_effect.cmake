# A learner's --set changes what happens: runs one tour twice, with and without one --set, and
# compares how often a concept occurred (the recap's "  N x <kind>  §S  <label>" line).
#
#   cmake -DSIMVUS=path -DCHAPTER=write-path -DSET=dataCoord.segment.maxSize=0.008
#         -DLINE="data.seal +§[^ ]+ +a segment seals by capacity" -DEXPECT=MORE -P tour_set_effect.cmake
foreach(var SIMVUS CHAPTER SET LINE EXPECT)
  if(NOT DEFINED ${var})
    message(FATAL_ERROR "tour_set_effect.cmake: -D${var}=... is required")
  endif()
endforeach()

function(count_of out_var)
  execute_process(COMMAND ${SIMVUS} tour ${CHAPTER} --no-pause ${ARGN}
                  OUTPUT_VARIABLE output RESULT_VARIABLE rc)
  if(NOT rc EQUAL 0)
    message(FATAL_ERROR "simvus tour ${CHAPTER} ${ARGN} exited ${rc}:\n${output}")
  endif()
  if(NOT output MATCHES "verdict: PASS")
    message(FATAL_ERROR "simvus tour ${CHAPTER} ${ARGN} did not pass:\n${output}")
  endif()
  set(count 0)
  if(output MATCHES " ([0-9]+) x ${LINE}")
    set(count ${CMAKE_MATCH_1})
  endif()
  set(${out_var} ${count} PARENT_SCOPE)
  set(${out_var}_output "${output}" PARENT_SCOPE)
endfunction()

count_of(before)
count_of(after --set ${SET})
string(REGEX REPLACE "=.*" "" key "${SET}")
if(NOT after_output MATCHES "you set ${key} = ")
  message(FATAL_ERROR "the tour does not say that ${key} was set:\n${after_output}")
endif()
message(STATUS "${CHAPTER}: '${LINE}' ${before} times by default, ${after} times with --set ${SET}")
if(EXPECT STREQUAL "MORE" AND NOT after GREATER before)
  message(FATAL_ERROR "expected more than ${before} with --set ${SET}, got ${after}")
elseif(EXPECT STREQUAL "FEWER" AND NOT after LESS before)
  message(FATAL_ERROR "expected fewer than ${before} with --set ${SET}, got ${after}")
endif()
