# Sourced by the tests that are scripts: the same skip contract as BERTH_SKIP (skip.h).
#   berth_skip KIND REASON...   KIND: NeedsRoot, MissingProgram, KernelFeature, HostSetup, NotBuilt
# Prints `BERTH-SKIP: <test>: <reason> [<kind>]` and exits 77 (CTest: Skipped); under
# CI=true, where every test must run, prints the reason as a failure and exits 1 (no
# script test has a kernel-feature skip on the CI list, tests/support/ci_allowed_skips.cpp).
berth_test_name=${BERTH_TEST_NAME:-$(basename "$0" .sh)}

berth_skip() {
  local kind=$1
  shift
  case "${CI:-}" in
    true | TRUE | True | 1 | yes)
      echo "FAIL: skipped under CI=true, where every test must run: $berth_test_name: $* [$kind]"
      exit 1
      ;;
  esac
  echo "BERTH-SKIP: $berth_test_name: $* [$kind]"
  echo "$berth_test_name: 1 skip(s), exit code 77 (CTest: Skipped)"
  exit 77
}

berth_fail() {
  echo "FAIL: $berth_test_name: $*"
  exit 1
}
