#ifndef TALLY_FUZZ_DRIVER_H
#define TALLY_FUZZ_DRIVER_H
#include <stddef.h>
#include <stdint.h>

/// Runs libFuzzer's driver on `test_one_input` with the process's arguments. Built with FUZZING
/// defined (`make fuzz`), where libFuzzer is linked; otherwise it only says it is not available.
int tally_fuzz_driver(int argc, char **argv, int (*test_one_input)(const uint8_t *data, size_t size));

#endif
