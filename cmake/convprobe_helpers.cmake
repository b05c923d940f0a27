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

# convprobe_add_room(NAME SOURCES ... [ROOMS room...] [LIBS lib...]): the static library convprobe_NAME of the
# room src/NAME/, linking the rooms it may use. The rooms it may include (its own, those in ROOMS and theirs,
# transitively) are recorded for the walls check.
function(convprobe_add_room name)
  cmake_parse_arguments(ARG "" "" "SOURCES;ROOMS;LIBS" ${ARGN})
  add_library(convprobe_${name} STATIC ${ARG_SOURCES})
  target_include_directories(convprobe_${name} PUBLIC ${PROJECT_SOURCE_DIR}/include ${PROJECT_SOURCE_DIR}/src)
  set(rooms ${name})
  foreach(room ${ARG_ROOMS})
    target_link_libraries(convprobe_${name} PUBLIC convprobe_${room})
    get_property(theirs GLOBAL PROPERTY CONVPROBE_ROOM_${room})
    list(APPEND rooms ${room} ${theirs})
  endforeach()
  list(REMOVE_DUPLICATES rooms)
  target_link_libraries(convprobe_${name} PUBLIC ${ARG_LIBS})
  set_property(GLOBAL PROPERTY CONVPROBE_ROOM_${name} ${rooms})
  set_property(GLOBAL APPEND PROPERTY CONVPROBE_ROOMS ${name})
endfunction()

# convprobe_check_walls(): a build step that fails when a file of src/ includes a header of a room its own room
# does not declare (src/CMakeLists.txt). Backends (src/backends/NAME/) may include their own folder, core,
# problem and vendor: the plugin links nothing else.
function(convprobe_check_walls)
  set(walls "")
  get_property(rooms GLOBAL PROPERTY CONVPROBE_ROOMS)
  foreach(room ${rooms})
    get_property(allowed GLOBAL PROPERTY CONVPROBE_ROOM_${room})
    string(REPLACE ";" " " allowed "${allowed}")
    string(APPEND walls "${room}: ${allowed}\n")
  endforeach()
  get_property(core_rooms GLOBAL PROPERTY CONVPROBE_ROOM_core)
  string(REPLACE ";" " " core_rooms "${core_rooms}")
  string(APPEND walls "backends: ${core_rooms} vendor\n")
  foreach(exception ${CONVPROBE_WALL_EXCEPTIONS})
    string(APPEND walls "except: ${exception}\n")
  endforeach()
  file(WRITE ${CMAKE_BINARY_DIR}/walls.txt "${walls}")
  file(GLOB_RECURSE sources CONFIGURE_DEPENDS ${PROJECT_SOURCE_DIR}/src/*.cpp ${PROJECT_SOURCE_DIR}/src/*.hpp
       ${PROJECT_SOURCE_DIR}/src/*.cu)
  add_custom_command(
    OUTPUT ${CMAKE_BINARY_DIR}/walls.stamp
    COMMAND ${CMAKE_COMMAND} -DWALLS=${CMAKE_BINARY_DIR}/walls.txt -DSRC=${PROJECT_SOURCE_DIR}/src
            -DSTAMP=${CMAKE_BINARY_DIR}/walls.stamp -P ${PROJECT_SOURCE_DIR}/cmake/check_walls.cmake
    DEPENDS ${sources} ${CMAKE_BINARY_DIR}/walls.txt ${PROJECT_SOURCE_DIR}/cmake/check_walls.cmake
    COMMENT "Checking that no include climbs a wall (src/CMakeLists.txt)")
  add_custom_target(walls ALL DEPENDS ${CMAKE_BINARY_DIR}/walls.stamp)
endfunction()
