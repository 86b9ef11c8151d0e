# Sourced by the installer tests (scripts): the skip contract every script test follows
# (berth_skip KIND REASON..., berth_fail REASON...), from tests/support/skip.sh.
. "$BERTH_SOURCE_DIR/tests/support/skip.sh"
