# Every third-party dependency is found here, once. Debian 12 package names are in
# installer/install-deps.sh.
find_package(Threads REQUIRED)
find_package(PkgConfig REQUIRED)
find_package(nlohmann_json 3.10 REQUIRED)
find_package(fmt REQUIRED)
find_package(CLI11 REQUIRED)
find_package(OpenSSL REQUIRED)
find_package(CURL REQUIRED)
pkg_check_modules(LIBARCHIVE REQUIRED IMPORTED_TARGET libarchive)
pkg_check_modules(LIBSECCOMP REQUIRED IMPORTED_TARGET libseccomp)
pkg_check_modules(LIBGIT2 REQUIRED IMPORTED_TARGET libgit2)
pkg_check_modules(LIBCAP REQUIRED IMPORTED_TARGET libcap)
pkg_check_modules(ZSTD REQUIRED IMPORTED_TARGET libzstd)
pkg_check_modules(LIBNL REQUIRED IMPORTED_TARGET libnl-3.0 libnl-route-3.0)
pkg_check_modules(LIBNFTABLES REQUIRED IMPORTED_TARGET libnftables)
# sd-bus: rootless containers get a delegated systemd user scope over D-Bus.
pkg_check_modules(LIBSYSTEMD REQUIRED IMPORTED_TARGET libsystemd)
find_package(ZLIB REQUIRED)

if(BERTH_BUILD_UI OR BERTH_BUILD_TESTS)
  find_package(Qt6 6.4 REQUIRED COMPONENTS Core Gui Widgets Charts Svg Test LinguistTools)
  # The Terminal tab's emulator (Debian: libvterm-dev).
  pkg_check_modules(LIBVTERM REQUIRED IMPORTED_TARGET vterm)
  # Qt6::Test gives every test file QT_TESTCASE_BUILDDIR and QT_TESTCASE_SOURCEDIR, the
  # checkout's absolute paths, as definitions: they are part of ccache's key (CCACHE_BASEDIR
  # does not rewrite -D values), so each new clone or worktree missed the cache on all ~180
  # test files. They only serve QFINDTESTDATA; tests find their data from BERTH_SOURCE_DIR
  # (tests/support/BerthTests.cmake) instead.
  get_target_property(berth_qttest_defs Qt6::Test INTERFACE_COMPILE_DEFINITIONS)
  list(FILTER berth_qttest_defs EXCLUDE REGEX "^QT_TESTCASE_(BUILD|SOURCE)DIR=")
  set_target_properties(Qt6::Test PROPERTIES INTERFACE_COMPILE_DEFINITIONS "${berth_qttest_defs}")
endif()
