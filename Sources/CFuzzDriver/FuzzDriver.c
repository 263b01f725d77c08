#include "CFuzzDriver.h"
#include <stdio.h>

#ifdef FUZZING
/* libFuzzer's entry for programs that have their own main (SwiftPM gives executables theirs). */
int LLVMFuzzerRunDriver(int *argc, char ***argv, int (*callback)(const uint8_t *data, size_t size));

int tally_fuzz_driver(int argc, char **argv, int (*test_one_input)(const uint8_t *data, size_t size)) {
    return LLVMFuzzerRunDriver(&argc, &argv, test_one_input);
}
#else
int tally_fuzz_driver(int argc, char **argv, int (*test_one_input)(const uint8_t *data, size_t size)) {
    (void)argc; (void)argv; (void)test_one_input;
    fputs("this tally-fuzz was built without libFuzzer: use `make fuzz`\n", stderr);
    return 2;
}
#endif
