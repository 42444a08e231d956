# Project-wide compile flags: warnings, optional -Werror, optional sanitizers.
add_library(omnigraph_flags INTERFACE)
target_compile_options(omnigraph_flags INTERFACE -Wall -Wextra -Wno-unused-parameter -Wno-missing-field-initializers)
if(OMNIGRAPH_WERROR)
  target_compile_options(omnigraph_flags INTERFACE -Werror)
endif()
if(OMNIGRAPH_SANITIZE)
  # GCC 12's sanitizer instrumentation produces false -Wmaybe-uninitialized reports inside
  # libstdc++ (std::regex), which would break -Werror builds; the release build keeps the warning.
  target_compile_options(omnigraph_flags INTERFACE -fsanitize=address,undefined -fno-omit-frame-pointer
    -fno-sanitize-recover=undefined -Wno-maybe-uninitialized)
  target_link_options(omnigraph_flags INTERFACE -fsanitize=address,undefined)
endif()
