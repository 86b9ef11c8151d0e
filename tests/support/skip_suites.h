#pragma once
// main() of an executable with several test classes, for skip.h's mechanism: the caller
// makes the application object, then
//     return berth::test::runTestSuites(argc, argv, {&first, &second});
// runs each class with QTest::qExec, names skips by each one's class, and returns what
// SuiteRun::finish returns for all of them together (77 after a skip, a failure wins).

#include "skip.h"

#include <initializer_list>

namespace berth::test {

int runTestSuites(int argc, char** argv, std::initializer_list<QObject*> suites);

} // namespace berth::test
