# convprobe_add_backend(NAME SOURCES... [LIBS ...]): a backend plugin, libconvprobe_backend_NAME.so,
# built as a MODULE next to the convprobe binary, linking only the static core plus its own vendor libraries.
function(convprobe_add_backend name)
  cmake_parse_arguments(ARG "" "" "SOURCES;LIBS" ${ARGN})
  if(NOT ARG_SOURCES)
    message(STATUS "backend ${name}: no sources yet, plugin not built")
    return()
  endif()
  add_library(convprobe_backend_${name} MODULE ${ARG_SOURCES})
  target_link_libraries(convprobe_backend_${name} PRIVATE convprobe_core ${ARG_LIBS})
  set_target_properties(convprobe_backend_${name} PROPERTIES PREFIX "lib" CXX_VISIBILITY_PRESET hidden
                                                              VISIBILITY_INLINES_HIDDEN ON)
  # Plugins must not leave undefined symbols for the loader to trip over at dlopen time.
  target_link_options(convprobe_backend_${name} PRIVATE -Wl,--no-undefined)
  add_dependencies(convprobe_plugins convprobe_backend_${name})
endfunction()

# convprobe_add_test(NAME LABELS label... SOURCES ... [LIBS ...]): one gtest executable, discovered by ctest.
function(convprobe_add_test name)
  cmake_parse_arguments(ARG "" "" "SOURCES;LIBS;LABELS" ${ARGN})
  add_executable(${name} ${ARG_SOURCES})
  target_link_libraries(${name} PRIVATE convprobe_app GTest::gtest GTest::gtest_main ${ARG_LIBS})
  target_include_directories(${name} PRIVATE ${PROJECT_SOURCE_DIR}/tests)
  add_dependencies(${name} convprobe_plugins convprobe)
  gtest_discover_tests(${name} DISCOVERY_TIMEOUT 60 TEST_PREFIX "${name}.")
  # Labels: gtest_discover_tests splits a list given in PROPERTIES, so only the first label would stick.
  # The discovered tests' names are in ${name}_TESTS when ctest reads the directory; label them all there.
  set(labels_file "${CMAKE_CURRENT_BINARY_DIR}/${name}_labels.cmake")
  file(WRITE "${labels_file}"
       "if(${name}_TESTS)\n  set_tests_properties(\${${name}_TESTS} PROPERTIES LABELS \"${ARG_LABELS}\")\nendif()\n")
  set_property(DIRECTORY APPEND PROPERTY TEST_INCLUDE_FILES "${labels_file}")
endfunction()
