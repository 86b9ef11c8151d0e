// Not compiled: the input of tests_source_rules_fixture, which checks that
// check_test_sources.cmake finds both bare QSKIPs below (an unbalanced '[' in a string once
// made CMake join the lines after it, and the comment line then hid the QSKIP).
void hidden() {
    run("test -e x && [ -d y");
    // a comment line after the unbalanced bracket
    if (skip) QSKIP("after an unbalanced bracket");
    int a = 1; int b = 2; const char* s = "a\\b";
    if (skip) QSKIP("after semicolons and a backslash");
}
