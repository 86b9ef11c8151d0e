# Sourced by the installer tests (scripts): skips and failures in the tests' contract.
#   berth_skip KIND REASON...   exit 77 (CTest: Skipped) with the reason; a failure under CI=true
#   berth_fail REASON...        exit 1
if [ -f "$BERTH_SOURCE_DIR/tests/support/skip.sh" ]; then
  . "$BERTH_SOURCE_DIR/tests/support/skip.sh"
else
  berth_test_name=${BERTH_TEST_NAME:-$(basename "$0" .sh)}
  berth_skip() {
    local kind=$1
    shift
    case "${CI:-}" in
      true | TRUE | True | 1 | yes) echo "FAIL: skipped under CI=true: $berth_test_name: $* [$kind]"; exit 1 ;;
    esac
    echo "BERTH-SKIP: $berth_test_name: $* [$kind]"
    exit 77
  }
  berth_fail() {
    echo "FAIL: $berth_test_name: $*"
    exit 1
  }
fi
