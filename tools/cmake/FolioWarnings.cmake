# Warnings for every target of ours; added as an interface target so third-party code is not affected.
add_library(folio_warnings INTERFACE)
target_compile_options(folio_warnings INTERFACE
  $<$<COMPILE_LANGUAGE:CXX>:-Wall -Wextra -Wpedantic -Wno-missing-field-initializers>)
